package io.tiercel.core.component;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The health of every component, as reported by the lifecycle and by the components themselves.
 * Thread-safe.
 */
public final class StatusRegistry {
  /** Component states, after the collector's component status model. */
  public enum Status {
    STARTING,
    OK,
    RECOVERABLE_ERROR,
    PERMANENT_ERROR,
    FATAL_ERROR,
    STOPPING,
    STOPPED;

    /** True for the states in which the component does its job. */
    public boolean up() {
      return this == OK;
    }
  }

  /** One component's latest report. */
  public record Entry(String component, Status status, @Nullable String error, Instant since) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Records a status for a component (key like {@code receiver/otlp} or {@code
   * exporter/kafka[traces]}); {@code error} may be null.
   */
  public void report(String component, Status status, @Nullable Throwable error) {
    entries.put(
        component,
        new Entry(
            component,
            status,
            error == null
                ? null
                : String.valueOf(error.getMessage() != null ? error.getMessage() : error),
            Instant.now()));
  }

  /**
   * Records {@code status} only if the component's current status is {@code expected} (atomically),
   * so that the lifecycle's "started: OK" does not overwrite an error the component reported while
   * starting.
   *
   * @return true when the status was recorded
   */
  public boolean reportIf(
      String component, Status expected, Status status, @Nullable Throwable error) {
    boolean[] done = {false};
    entries.computeIfPresent(
        component,
        (k, cur) -> {
          if (cur.status() != expected) {
            return cur;
          }
          done[0] = true;
          return new Entry(
              component,
              status,
              error == null
                  ? null
                  : String.valueOf(error.getMessage() != null ? error.getMessage() : error),
              Instant.now());
        });
    return done[0];
  }

  /** A sorted snapshot of all reports. */
  public Map<String, Entry> snapshot() {
    return new TreeMap<>(entries);
  }

  /** True when at least one component reported and every one is {@link Status#OK}. */
  public boolean allUp() {
    return !entries.isEmpty() && entries.values().stream().allMatch(e -> e.status().up());
  }
}
