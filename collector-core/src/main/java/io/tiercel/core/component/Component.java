package io.tiercel.core.component;

/**
 * A running part of the collector. Lifecycle: created by its factory (the constructor does no I/O
 * and starts no threads), then {@link #start} once, then {@link #shutdown} (possibly without
 * start).
 */
public sealed interface Component permits Receiver, Processor, Exporter, Extension {
  /**
   * Starts threads and opens sockets. Called once, from the service's lifecycle thread, after every
   * component downstream of this one has started. Must not block longer than it takes to bind and
   * connect; an exception fails the collector's start-up (the message should name what is wrong).
   */
  void start(Host host) throws Exception;

  /**
   * Stops intake, drains what is in flight downstream and releases resources before {@code
   * deadline}. Idempotent, and safe to call without {@link #start}. Called upstream first.
   */
  void shutdown(Deadline deadline) throws Exception;
}
