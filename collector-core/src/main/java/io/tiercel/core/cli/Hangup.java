package io.tiercel.core.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes {@code SIGHUP}s for {@code run}, which reloads the config when it sees one. Without this
 * the JVM treats {@code SIGHUP} as a request to exit; with it, a hang-up only raises a flag
 * (signals that arrive during a reload ask for one more reload, not one each). Kept behind this
 * class because {@code sun.misc.Signal} is the JDK's only way to handle a signal and is not a
 * public API.
 */
final class Hangup {
  private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);
  private final AtomicBoolean pending = new AtomicBoolean();

  private Hangup() {}

  /**
   * Installs the {@code SIGHUP} handler. When the JVM does not let the program handle it ({@code
   * -Xrs}, a platform without it), logs why and returns a hang-up that never comes.
   */
  static Hangup install() {
    Hangup h = new Hangup();
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> h.pending.set(true));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("SIGHUP cannot be handled here ({}); reloading by signal is off", e.getMessage());
    }
    return h;
  }

  /** True once per burst of {@code SIGHUP}s since the last call. */
  boolean take() {
    return pending.getAndSet(false);
  }
}
