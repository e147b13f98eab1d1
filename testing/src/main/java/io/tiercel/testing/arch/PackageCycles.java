package io.tiercel.testing.arch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Import loops between the packages of one module.
 *
 * <p>The input is the module's class dependency graph (class to the classes it names, from the
 * class files: {@link InternalPackages#classReferences}). Packages are those that own a class of
 * the graph; a dependency on a package the module does not define is no edge. Every edge that lies
 * on a loop is reported on at least one cycle: for each such edge {@code a -> b}, the edge followed
 * by the shortest path back from {@code b} to {@code a}. Cycles are written from their smallest
 * package, so the same loop reads the same on every run, and each edge carries one example class
 * pair (the smallest by name) that makes it.
 */
public final class PackageCycles {
  /** The rule's label in a {@link Violation#key()}. */
  public static final String RULE = "package loop";

  private PackageCycles() {}

  /**
   * The loops of {@code classDependencies}, one violation per cycle, sorted.
   *
   * @param classDependencies binary class name (dotted, nested classes as {@code Outer$Inner}) to
   *     the binary names of the classes it uses
   */
  public static List<Violation> find(Map<String, ? extends Collection<String>> classDependencies) {
    Set<String> packages = new TreeSet<>();
    for (String c : classDependencies.keySet()) {
      packages.add(packageOf(c));
    }
    // package -> package it uses -> example "a.X uses b.Y" (the smallest)
    Map<String, SortedMap<String, String>> edges = new TreeMap<>();
    for (var e : classDependencies.entrySet()) {
      String from = packageOf(e.getKey());
      for (String used : e.getValue()) {
        String to = packageOf(used);
        if (!to.equals(from) && packages.contains(to)) {
          String example = e.getKey() + " uses " + used;
          edges
              .computeIfAbsent(from, k -> new TreeMap<>())
              .merge(to, example, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
      }
    }
    Map<String, List<String>> cycles = new TreeMap<>(); // "a -> b -> a" -> [a, b, a]
    for (Set<String> component : stronglyConnected(packages, edges)) {
      if (component.size() < 2) {
        continue;
      }
      for (String from : component) {
        for (String to : edges.getOrDefault(from, new TreeMap<>()).keySet()) {
          if (component.contains(to)) {
            List<String> cycle = new ArrayList<>();
            cycle.add(from);
            cycle.addAll(shortestPath(to, from, component, edges));
            List<String> canonical = canonical(cycle);
            cycles.putIfAbsent(String.join(" -> ", canonical), canonical);
          }
        }
      }
    }
    List<Violation> out = new ArrayList<>();
    for (var c : cycles.entrySet()) {
      List<String> p = c.getValue();
      List<String> examples = new ArrayList<>();
      for (int i = 0; i + 1 < p.size(); i++) {
        examples.add(edges.get(p.get(i)).get(p.get(i + 1)));
      }
      out.add(new Violation(RULE, c.getKey(), String.join("; ", examples)));
    }
    return out;
  }

  /** The package of a binary class name; the unnamed package is {@code ""}. */
  static String packageOf(String binaryName) {
    int dot = binaryName.lastIndexOf('.');
    return dot < 0 ? "" : binaryName.substring(0, dot);
  }

  /**
   * A closed cycle {@code [a, b, ..., a]} rotated to start (and end) at its smallest package.
   *
   * @param open the cycle without its closing repetition: {@code [a, b, ...]}
   */
  private static List<String> canonical(List<String> open) {
    int start = 0;
    for (int i = 1; i < open.size(); i++) {
      if (open.get(i).compareTo(open.get(start)) < 0) {
        start = i;
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i <= open.size(); i++) {
      out.add(open.get((start + i) % open.size()));
    }
    return out;
  }

  /**
   * The packages on the shortest path from {@code from} to {@code to} inside {@code component},
   * {@code from} first and {@code to} left out; ties go to the smaller package names. Both lie in
   * one strongly connected component, so the path exists.
   */
  private static List<String> shortestPath(
      String from, String to, Set<String> component, Map<String, SortedMap<String, String>> edges) {
    Map<String, String> previous = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    previous.put(from, from);
    while (!queue.isEmpty() && !previous.containsKey(to)) {
      String at = queue.removeFirst();
      for (String next : edges.getOrDefault(at, new TreeMap<>()).keySet()) {
        if (component.contains(next) && !previous.containsKey(next)) {
          previous.put(next, at);
          queue.addLast(next);
        }
      }
    }
    List<String> path = new ArrayList<>();
    if (from.equals(to)) {
      return path;
    }
    for (String at = previous.get(to); !at.equals(from); at = previous.get(at)) {
      path.add(0, at);
    }
    path.add(0, from);
    return path;
  }

  /** Tarjan's algorithm: the strongly connected components, each sorted, in a stable order. */
  private static List<Set<String>> stronglyConnected(
      Set<String> nodes, Map<String, SortedMap<String, String>> edges) {
    Map<String, Integer> index = new LinkedHashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String n : nodes) {
      if (!index.containsKey(n)) {
        connect(n, edges, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(
      String node,
      Map<String, SortedMap<String, String>> edges,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : edges.getOrDefault(node, new TreeMap<>()).keySet()) {
      if (!index.containsKey(next)) {
        connect(next, edges, index, low, stack, onStack, out);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      out.add(component);
    }
  }
}
