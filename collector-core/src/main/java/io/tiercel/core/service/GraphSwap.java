package io.tiercel.core.service;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.service.PipelineGraph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reload's swap from the running graph to a new one built over it ({@link Service#reload}), run
 * once with the service's lock held:
 *
 * <ol>
 *   <li>nothing happens when the new graph could not be built (its new components were created,
 *       never started, and are shut down again);
 *   <li>the new extensions, exporters and processors start, downstream first; when one fails, those
 *       shut down again and the running graph stays as it was;
 *   <li>the kept components' links move to the new graph;
 *   <li>the receivers that are replaced or removed shut down, draining into the pipelines they fed,
 *       which still run; then the new receivers start (a replaced Kafka receiver has committed what
 *       finished and left the group, so its partitions go to its successor; a new receiver that
 *       fails to start is reported while the rest runs);
 *   <li>the replaced and removed processors (upstream first), exporters and extensions shut down,
 *       each draining what it holds into what follows it.
 * </ol>
 *
 * A replaced component's status key passes to its successor; a removed one is reported STOPPED.
 */
final class GraphSwap {
  private static final Logger LOG = LoggerFactory.getLogger(GraphSwap.class);

  private final List<Node> before;
  private final PipelineGraph graph;
  private final List<Node> built;
  private final List<LifecycleError> errors;
  private final StatusRegistry status;
  private final Host host;
  private final Deadline deadline;
  private final UnaryOperator<Map<ComponentId, Extension>> useExtensions;
  private final BiFunction<Node, Deadline, @Nullable Throwable> shutdown;
  private final List<Node> running = new ArrayList<>();
  private List<Node> created = List.of();
  private boolean applied;

  /**
   * @param before the running graph's nodes, in start order
   * @param graph the new graph, built over {@code before} into {@code built} (its errors in {@code
   *     errors}, where the swap adds its own)
   * @param useExtensions makes the service's host answer with the given extensions; returns the
   *     ones it answered with before
   * @param shutdown shuts one component down within the deadline; the failure or null
   */
  GraphSwap(
      List<Node> before,
      PipelineGraph graph,
      List<Node> built,
      List<LifecycleError> errors,
      StatusRegistry status,
      Host host,
      Deadline deadline,
      UnaryOperator<Map<ComponentId, Extension>> useExtensions,
      BiFunction<Node, Deadline, @Nullable Throwable> shutdown) {
    this.before = before;
    this.graph = graph;
    this.built = built;
    this.errors = errors;
    this.status = status;
    this.host = host;
    this.deadline = deadline;
    this.useExtensions = useExtensions;
    this.shutdown = shutdown;
  }

  /** Whether the new graph runs (possibly without a receiver that failed to start). */
  boolean applied() {
    return applied;
  }

  /** The new graph's nodes, in start order. */
  List<Node> nodes() {
    return built;
  }

  /** The new graph's nodes that run, in start order. */
  List<Node> running() {
    return running;
  }

  /** How many running components the new graph kept. */
  int kept() {
    return graph.kept().size();
  }

  /** How many components the new graph created. */
  int created() {
    return created.size();
  }

  void run() {
    Set<Node> keep = graph.kept();
    created = built.stream().filter(n -> !keep.contains(n)).toList();
    if (!errors.isEmpty()) {
      created.forEach(n -> shutdown.apply(n, deadline)); // created, never started: safe
      return;
    }
    if (!startDownstream()) {
      return;
    }
    applied = true;
    graph.rewire();
    Set<String> oldKeys = before.stream().map(Node::key).collect(Collectors.toSet());
    Set<String> newKeys = built.stream().map(Node::key).collect(Collectors.toSet());
    List<Node> retired = new ArrayList<>(before.stream().filter(n -> !keep.contains(n)).toList());
    Collections.reverse(retired); // receivers, processors upstream first, exporters, extensions
    running.addAll(built);
    for (Node n : retired) {
      if (n.component() instanceof Receiver) {
        retire(n, newKeys);
      }
    }
    for (Node n : created) {
      if (n.component() instanceof Receiver) {
        startReceiver(n, oldKeys.contains(n.key()));
      }
    }
    for (Node n : retired) {
      if (!(n.component() instanceof Receiver)) {
        retire(n, newKeys);
      }
    }
  }

  /** Starts the new extensions, exporters and processors; on a failure undoes that, false. */
  private boolean startDownstream() {
    Map<ComponentId, Extension> oldExtensions = useExtensions.apply(graph.extensions());
    List<Node> up = new ArrayList<>();
    for (Node n : created) {
      if (n.component() instanceof Receiver) {
        continue;
      }
      try {
        n.component().start(host);
        up.add(n);
      } catch (Exception | LinkageError e) {
        LOG.error("Reload: failed to start {}: {}", n.key(), e.getMessage(), e);
        errors.add(new LifecycleError(n.key(), e));
        useExtensions.apply(oldExtensions);
        shutdown.apply(n, deadline); // it may have bound a socket before failing
        for (int i = up.size() - 1; i >= 0; i--) {
          shutdown.apply(up.get(i), deadline);
        }
        created.stream()
            .filter(c -> c != n && !up.contains(c))
            .forEach(c -> shutdown.apply(c, deadline));
        return false;
      }
    }
    up.forEach(n -> status.report(n.key(), Status.OK, null));
    return true;
  }

  private void startReceiver(Node n, boolean replaces) {
    if (!replaces) {
      status.report(n.key(), Status.STARTING, null);
    }
    try {
      n.component().start(host);
      status.report(n.key(), Status.OK, null);
    } catch (Exception | LinkageError e) {
      LOG.error("Reload: failed to start {}: {}", n.key(), e.getMessage(), e);
      errors.add(new LifecycleError(n.key(), e));
      status.report(n.key(), Status.PERMANENT_ERROR, e);
      shutdown.apply(n, deadline); // it may have bound a socket before failing
      running.remove(n);
    }
  }

  /** Shuts down a component the new graph does not keep. */
  private void retire(Node n, Set<String> newKeys) {
    boolean gone = !newKeys.contains(n.key());
    if (gone) {
      status.report(n.key(), Status.STOPPING, null);
    }
    Throwable e = shutdown.apply(n, deadline);
    if (e != null) {
      errors.add(new LifecycleError(n.key(), e));
      LOG.warn("Reload: shutdown of {} failed: {}", n.key(), e.getMessage(), e);
    }
    if (gone) {
      status.report(n.key(), e == null ? Status.STOPPED : Status.PERMANENT_ERROR, e);
    }
  }
}
