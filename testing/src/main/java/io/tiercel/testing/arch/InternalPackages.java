package io.tiercel.testing.arch;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * STYLE rule 7: code in an {@code ..internal..} package is not API and must not be used from
 * another module.
 *
 * <p>Reads compiled classes (class files in the classpath entries of Tiercel's modules) and lists
 * every class of one module whose constant pool names a class of an {@code internal} package that
 * another module defines: a type used in code, a field or method descriptor, or a generic
 * signature. A module is a Maven module: its {@code target/classes} and {@code target/test-classes}
 * (or its jar) are one module, so its own tests may use its internals. Plain JUnit over the
 * class-file format (JVMS 4.4): no extra dependency, and the builds run offline.
 */
public final class InternalPackages {
  private static final String PREFIX = "io/tiercel/";

  /**
   * Object types in descriptors and signatures: {@code Lio/tiercel/x/Y;} or {@code
   * Lio/tiercel/x/Y<}.
   */
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L(io/tiercel/[\\w/$]+)[;<.]");

  private static final Pattern JAR_NAME = Pattern.compile("^(.+?)-\\d[^/]*\\.jar$");

  private InternalPackages() {}

  /** A classpath entry (directory or jar) and the module it belongs to. */
  public record Root(String module, Path path) {}

  /** The result of a scan: how many classes were read, and the violations, sorted. */
  public record Report(int classes, List<String> violations) {}

  /**
   * The entries of the test classpath that hold {@code io/tiercel} classes, with their modules.
   * Under Surefire and Failsafe, {@code java.class.path} may be only the booter jar; their {@code
   * surefire.test.class.path} has the real one.
   */
  public static List<Root> tiercelClasspath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Root> out = new ArrayList<>();
    for (String e : cp.split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      if (Files.exists(p) && holdsTiercelClasses(p)) {
        out.add(new Root(moduleOf(p), p));
      }
    }
    return out;
  }

  /**
   * {@code <module>/target/classes}, {@code <module>/target/test-classes}, or {@code
   * <module>-<version>.jar}.
   */
  static String moduleOf(Path entry) {
    Path abs = entry.toAbsolutePath().normalize();
    String name = abs.getFileName().toString();
    if (Files.isDirectory(abs)
        && abs.getParent() != null
        && abs.getParent().getFileName() != null
        && abs.getParent().getFileName().toString().equals("target")
        && abs.getParent().getParent() != null) {
      return abs.getParent().getParent().getFileName().toString();
    }
    Matcher m = JAR_NAME.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  private static boolean holdsTiercelClasses(Path p) {
    if (Files.isDirectory(p)) {
      return Files.isDirectory(p.resolve(PREFIX));
    }
    try (JarFile jar = new JarFile(p.toFile())) {
      return jar.stream()
          .anyMatch(e -> e.getName().startsWith(PREFIX) && e.getName().endsWith(".class"));
    } catch (IOException notAJar) {
      return false;
    }
  }

  /** Scans {@code roots}: every class that uses an internal class of another module is one line. */
  public static Report scan(List<Root> roots) {
    Map<String, String> definedIn = new HashMap<>();
    Map<String, Map<String, Set<String>>> uses =
        new LinkedHashMap<>(); // module -> class -> names it uses
    for (Root r : roots) {
      forEachClass(
          r.path(),
          (name, in) -> {
            definedIn.putIfAbsent(name, r.module());
            uses.computeIfAbsent(r.module(), k -> new LinkedHashMap<>())
                .put(name, referencedClasses(in));
          });
    }
    Set<String> violations = new TreeSet<>();
    int classes = 0;
    for (var byModule : uses.entrySet()) {
      for (var cls : byModule.getValue().entrySet()) {
        classes++;
        for (String used : cls.getValue()) {
          String owner = definedIn.get(used);
          if (isInternal(used) && owner != null && !owner.equals(byModule.getKey())) {
            violations.add(
                dotted(cls.getKey())
                    + " ("
                    + byModule.getKey()
                    + ") uses "
                    + dotted(used)
                    + ", internal to "
                    + owner);
          }
        }
      }
    }
    return new Report(classes, List.copyOf(violations));
  }

  /**
   * The {@code io.tiercel} classes under one classpath entry (directory or jar), each with the
   * {@code io.tiercel} classes its class file names, as binary names ({@code a.b.Outer$Inner}).
   */
  public static Map<String, Set<String>> classReferences(Path root) {
    Map<String, Set<String>> out = new TreeMap<>();
    forEachClass(
        root,
        (name, in) -> {
          Set<String> used = new TreeSet<>();
          for (String u : referencedClasses(in)) {
            used.add(dotted(u));
          }
          out.put(dotted(name), used);
        });
    return out;
  }

  /** True for a class in a package with an {@code internal} segment. */
  static boolean isInternal(String internalName) {
    int slash = internalName.lastIndexOf('/');
    String pkg = slash < 0 ? "" : internalName.substring(0, slash);
    return ("/" + pkg + "/").contains("/internal/");
  }

  private static String dotted(String internalName) {
    return internalName.replace('/', '.');
  }

  private interface ClassVisitor {
    void visit(String internalName, InputStream classFile) throws IOException;
  }

  private static void forEachClass(Path root, ClassVisitor v) {
    try {
      if (Files.isDirectory(root)) {
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f :
              (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
            String rel = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            if (rel.startsWith(PREFIX)) {
              try (InputStream in = Files.newInputStream(f)) {
                v.visit(rel.substring(0, rel.length() - ".class".length()), in);
              }
            }
          }
        }
      } else {
        try (JarFile jar = new JarFile(root.toFile())) {
          for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
            JarEntry e = en.nextElement();
            if (e.getName().startsWith(PREFIX) && e.getName().endsWith(".class")) {
              try (InputStream in = jar.getInputStream(e)) {
                v.visit(e.getName().substring(0, e.getName().length() - ".class".length()), in);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the classes in " + root, e);
    }
  }

  /**
   * The {@code io/tiercel} classes a class file's constant pool names: its {@code CONSTANT_Class}
   * entries (arrays unwrapped) and the object types inside every descriptor and signature string.
   */
  static Set<String> referencedClasses(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classIndexes.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++; // 8-byte constants take two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
      }
    }
    Set<String> out = new TreeSet<>();
    for (int idx : classIndexes) {
      String n = utf8[idx];
      if (n == null) {
        continue;
      }
      if (n.startsWith("[")) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(n);
        while (m.find()) {
          out.add(m.group(1));
        }
      } else if (n.startsWith(PREFIX)) {
        out.add(n);
      }
    }
    for (String s : utf8) {
      if (s != null && s.indexOf('L') >= 0 && s.contains(PREFIX)) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(s);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }
}
