package io.tiercel.core.util;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way Tiercel makes threads: daemon threads named {@code tiercel-<component>-<role>}, so a
 * thread dump or a profile names the component that owns each thread, and no thread of ours keeps
 * the JVM alive after {@code main} returns (shutdown is explicit, through the service's lifecycle).
 *
 * <p>Uncaught exceptions are logged by the JVM's default handler; components catch what they expect
 * inside their loops.
 */
public final class DaemonThreads implements ThreadFactory {
  private final String prefix;
  private final boolean numbered;
  private final AtomicInteger count = new AtomicInteger();

  private DaemonThreads(String prefix, boolean numbered) {
    this.prefix = prefix;
    this.numbered = numbered;
  }

  /**
   * A factory whose threads are all called {@code tiercel-<owner>-<role>}: for single-thread
   * executors, where one name is enough.
   *
   * @param owner the component id (or another owner name), as {@code kafka/traces}
   * @param role what the thread does, as {@code send} or {@code retry}
   */
  public static DaemonThreads named(Object owner, String role) {
    return new DaemonThreads(name(owner, role), false);
  }

  /** A factory whose threads are {@code tiercel-<owner>-<role>-1}, {@code -2}, ...: for pools. */
  public static DaemonThreads numbered(Object owner, String role) {
    return new DaemonThreads(name(owner, role), true);
  }

  /** A started-later daemon thread called {@code tiercel-<owner>-<role>} running {@code body}. */
  public static Thread thread(Object owner, String role, Runnable body) {
    return named(owner, role).newThread(body);
  }

  private static String name(Object owner, String role) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(role, "role");
    String o = String.valueOf(owner);
    return (o.startsWith("tiercel-") ? o : "tiercel-" + o) + (role.isEmpty() ? "" : "-" + role);
  }

  @Override
  public Thread newThread(Runnable r) {
    String name = numbered ? prefix + "-" + count.incrementAndGet() : prefix;
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The name (or, for a numbered factory, the prefix) this factory gives its threads. */
  public String prefix() {
    return prefix;
  }
}
