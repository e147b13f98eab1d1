package io.tiercel.core.builtin.generator;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The {@code generator} receiver: sends synthetic traces, metrics and logs into the pipelines that
 * list it, one thread per signal, obeying backpressure (at most {@code max_in_flight} requests per
 * signal wait on their consume future; retryable failures are resent after a backoff and not
 * counted as sent; permanent failures are counted as failed).
 */
public final class GeneratorReceiver implements Receiver {
  /**
   * What one signal has done so far.
   *
   * @param sent items acknowledged by the pipeline
   * @param failed items refused with a permanent error (not resent)
   * @param retries resends after retryable errors (requests)
   * @param inFlight requests awaiting their consume future (including those waiting to be resent)
   */
  public record SignalStats(long sent, long failed, long retries, int inFlight) {}

  private final Logger log;
  private final Map<Signal, SignalRunner> runners = new EnumMap<>(Signal.class);
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private boolean started;
  // @GuardedBy("lock")
  private boolean stopped;

  GeneratorReceiver(Settings settings, GeneratorReceiverConfig config, Consumers next) {
    this.log = settings.logger();
    for (Signal signal : next.signals()) {
      boolean enabled =
          switch (signal) {
            case TRACES -> config.traces().enabled();
            case METRICS -> config.metrics().enabled();
            case LOGS -> config.logs().enabled();
            case PROFILES -> false; // the factory does not offer profiles: requireOnly rejects them
          };
      if (enabled) {
        runners.put(signal, new SignalRunner(settings, config, signal, next.get(signal)));
      } else {
        log.info(
            "{} are disabled in the config of {}; its {} pipelines get nothing",
            signal,
            settings.id(),
            signal);
      }
    }
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (started || stopped) {
        return;
      }
      started = true;
      runners.values().forEach(SignalRunner::start);
    }
  }

  /**
   * Stops generating, waits (until {@code deadline}) for the requests in flight, and logs a
   * summary. Requests waiting to be resent at that point are abandoned.
   */
  @Override
  public void shutdown(Deadline deadline) throws InterruptedException {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (!started) {
        return;
      }
    }
    runners.values().forEach(SignalRunner::stop);
    for (SignalRunner r : runners.values()) {
      r.awaitStopped(deadline);
    }
    List<String> parts = new ArrayList<>();
    stats()
        .forEach(
            (signal, s) ->
                parts.add(
                    signal
                        + ": sent "
                        + s.sent()
                        + ", failed "
                        + s.failed()
                        + ", retries "
                        + s.retries()
                        + (s.inFlight() > 0 ? ", abandoned in flight " + s.inFlight() : "")));
    log.info("Generator stopped; {}", parts.isEmpty() ? "no signals" : String.join("; ", parts));
  }

  /** A snapshot of what each generating signal has done. Thread-safe. */
  public Map<Signal, SignalStats> stats() {
    Map<Signal, SignalStats> m = new EnumMap<>(Signal.class);
    runners.forEach((signal, r) -> m.put(signal, r.stats()));
    return m;
  }

  /**
   * True once every signal has sent its {@code total} (and nothing is in flight); never true when
   * total is 0.
   */
  public boolean finished() {
    return runners.values().stream().allMatch(SignalRunner::finished);
  }
}
