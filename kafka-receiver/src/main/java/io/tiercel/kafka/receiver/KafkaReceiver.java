package io.tiercel.kafka.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.core.util.ThrottledLogger;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.receiver.PartitionState.InFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * The {@code kafka} receiver: one consumer-group member that reads the topics of every signal in
 * use and hands each record to its signal's pipeline, committing per partition only the offsets
 * whose records the pipeline finished (DESIGN.md section 4).
 *
 * <h2>Threads</h2>
 *
 * One poll thread owns the {@link KafkaConsumer} (which is not thread-safe): polling, dispatch,
 * pause, resume, seek and commit all happen there. Pipeline futures complete on other threads;
 * their outcomes come back through a queue the poll thread drains between polls (an outcome that is
 * already there when {@code consume} returns is handled at once). The queue holds at most one entry
 * per unfinished record, so it is bounded by {@code max_in_flight} times the assigned partitions.
 *
 * <h2>Failures</h2>
 *
 * A retryable failure is retried in place: the failed record keeps its place among the records in
 * flight (its {@link ConsumerRecord} is kept, and its value bytes count in {@code max_in_flight} as
 * they did from the start), waits for its own {@code error_backoff} wait while the partition
 * fetches nothing new, and is then decoded and handed to the pipeline again; of several waiting
 * records of one partition only the lowest-offset one (the probe) goes back at a time, and all go
 * at once when the pipeline accepts a record of the partition again. Records after it are not
 * touched: they finish and count as usual, and the committable offset stops at the waiting record
 * until it finishes, so nothing is delivered twice by a retry. The record is decoded again rather
 * than its decoded data kept: the record's value bytes are what the in-flight bound counts, while
 * decoded data may be larger (a parsed {@code otlp_json} message, resources rebuilt by {@code
 * header_extraction}) and is not counted; retries are rare, so decoding twice costs nothing that
 * matters, and the pipeline gets the data and {@link Context} exactly as at the first dispatch. An
 * undecodable record or a permanent refusal goes to the dead-letter topic (done when the broker
 * acknowledged the copy) or is skipped and counted.
 */
public final class KafkaReceiver implements Receiver {
  private static final long POLL_IDLE_MS = 100;
  private static final long POLL_BUSY_MS = 10;
  private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Duration LAG_TIMEOUT = Duration.ofMillis(500);

  /** A pipeline or dead-letter outcome handed back to the poll thread. */
  private record Outcome(
      InFlight entry, int dispatch, Throwable error, String deadLetterReason, Throwable original) {}

  private final Settings settings;
  private final KafkaReceiverConfig config;
  private final ClientConfig client;
  private final Consumers next;
  private final Logger logger;
  private final String statusKey;
  private final RecordDecoder decoder;
  private final ReceiverMetrics metrics;
  private final ThrottledLogger skipLog;
  private final ThrottledLogger retryLog;
  private final ThrottledLogger errorLog;
  private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

  private final Object lock = new Object();
  // guarded by lock
  private boolean started;
  private boolean stopped;

  private volatile boolean closing;
  private volatile Deadline closeDeadline;
  private Thread pollThread;
  private Host host;

  // poll thread only (after start)
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterSender deadLetter;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final Map<String, Signal> topicSignals = new HashMap<>();
  private boolean commitNow;

  KafkaReceiver(Settings settings, KafkaReceiverConfig config, Consumers next) {
    this.settings = settings;
    this.config = config;
    this.client = config.client();
    this.next = next;
    this.logger = settings.logger();
    this.statusKey = "receiver/" + settings.id();
    this.decoder = new RecordDecoder(config.headerExtraction());
    this.metrics =
        new ReceiverMetrics(
            settings.metrics(), settings.id().toString(), config.telemetry().recordsDelay());
    this.skipLog = new ThrottledLogger(logger, Duration.ofSeconds(10));
    this.retryLog = new ThrottledLogger(logger, Duration.ofSeconds(10));
    this.errorLog = new ThrottledLogger(logger, Duration.ofSeconds(10));
  }

  /**
   * Creates the consumer (and the dead-letter producer) and starts the poll thread; does not wait
   * for an assignment.
   */
  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException(settings.id() + " already started");
      }
      started = true;
      if (stopped) {
        return;
      }
      this.host = host;
      if (next.signals().isEmpty()) {
        logger.info("{}: no pipeline uses this receiver; not consuming", settings.id());
        host.status().report(statusKey, Status.OK, null);
        return;
      }
      host.status().report(statusKey, Status.STARTING, null);
      client.insecureWarning().ifPresent(w -> logger.warn("Receiver {}: {}", settings.id(), w));
      Map<String, Object> clientProperties = client.properties(); // reads PEM files: once
      consumer = new KafkaConsumer<>(ConsumerProperties.of(config, clientProperties));
      if (config.deadLetter().enabled()) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put("client.id", config.clientId() + "-dlq");
        p.put("acks", "all");
        p.put("max.block.ms", 10_000);
        p.putAll(config.deadLetter().producerConfig());
        deadLetter =
            new DeadLetterSender(
                config.deadLetter().topic(),
                p,
                logger,
                DaemonThreads.named(settings.id(), "dead-letter"));
        deadLetter.start();
      }
      pollThread = DaemonThreads.thread(settings.id(), "poll", this::run);
      pollThread.start();
      logger.info(
          "{} started: group {}, topics {}",
          settings.id(),
          config.groupId(),
          config.topicsOf(next.signals()));
    }
  }

  /**
   * Stops fetching, waits (until shortly before {@code deadline}) for the records in flight,
   * commits what finished and leaves the group. Idempotent; safe without start.
   */
  @Override
  public void shutdown(Deadline deadline) throws InterruptedException {
    Thread t;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (!started || pollThread == null) {
        return;
      }
      t = pollThread;
    }
    closeDeadline = deadline;
    closing = true;
    consumer.wakeup();
    t.join(Math.max(1, deadline.remainingMillis() + 500));
    if (t.isAlive()) {
      logger.warn("{}: poll thread did not stop before the shutdown deadline", settings.id());
      t.interrupt();
    }
  }

  // ----------------------------------------------------------------------------------------------
  // poll thread

  private void run() {
    try {
      subscribe();
      host.status().report(statusKey, Status.OK, null);
      long nextCommit = System.nanoTime() + config.autocommit().interval().toNanos();
      long nextLag = System.nanoTime() + LAG_EVERY_NANOS;
      while (!closing) {
        try {
          drainOutcomes();
          long now = System.nanoTime();
          releaseRetries(now);
          applyPauses();
          if (commitNow || now - nextCommit >= 0) {
            commitAsync();
            commitNow = false;
            nextCommit = now + config.autocommit().interval().toNanos();
          }
          ConsumerRecords<byte[], byte[]> records =
              consumer.poll(Duration.ofMillis(pollTimeoutMs()));
          dispatch(records);
          if (System.nanoTime() - nextLag >= 0) {
            updateLag();
            nextLag = System.nanoTime() + LAG_EVERY_NANOS;
          }
        } catch (WakeupException e) {
          // shutdown
        } catch (KafkaException e) {
          errorLog.warn(
              settings.id()
                  + ": consumer error: "
                  + (e instanceof AuthenticationException a
                      ? client.authenticationFailure(a)
                      : e.toString()),
              e);
          host.status().report(statusKey, Status.RECOVERABLE_ERROR, e);
          sleepQuietly(100);
        }
      }
      closeDown();
      host.status().report(statusKey, Status.STOPPED, null);
    } catch (Throwable t) {
      logger.error("{}: poll thread failed", settings.id(), t);
      host.status().report(statusKey, Status.FATAL_ERROR, t);
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
      } catch (RuntimeException e) {
        logger.debug("close after failure", e);
      }
      if (deadLetter != null) {
        deadLetter.close(Duration.ofSeconds(1));
      }
    }
  }

  private void subscribe() {
    Set<Signal> signals = next.signals();
    boolean regex = signals.stream().anyMatch(s -> config.signal(s).usesRegex());
    ConsumerRebalanceListener listener = new Listener();
    if (regex) {
      consumer.subscribe(subscriptionPattern(config, signals), listener);
    } else {
      Set<String> topics = new LinkedHashSet<>(config.topicsOf(signals));
      consumer.subscribe(topics, listener);
    }
  }

  /**
   * One pattern matching exactly the topics of every signal in use (literal names quoted,
   * exclusions applied).
   */
  static Pattern subscriptionPattern(KafkaReceiverConfig config, Set<Signal> signals) {
    List<String> parts = new ArrayList<>();
    for (Signal s : signals) {
      SignalTopics sc = config.signal(s);
      List<String> in =
          sc.topics().stream().map(t -> SignalTopics.isRegex(t) ? t : Pattern.quote(t)).toList();
      String include = "(?:" + String.join("|", in) + ")";
      if (!sc.excludeTopics().isEmpty()) {
        include = "(?!(?:" + String.join("|", sc.excludeTopics()) + ")$)" + include;
      }
      parts.add("(?:" + include + ")");
    }
    return Pattern.compile(String.join("|", parts));
  }

  private Signal route(String topic) {
    return topicSignals.computeIfAbsent(
        topic,
        t -> {
          for (Signal s : next.signals()) {
            if (config.signal(s).matches(t)) {
              return s;
            }
          }
          return null;
        });
  }

  private long pollTimeoutMs() {
    if (!outcomes.isEmpty()) {
      return 0;
    }
    for (PartitionState st : partitions.values()) {
      if (st.paused) {
        return POLL_BUSY_MS;
      }
    }
    return POLL_IDLE_MS;
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    for (TopicPartition tp : records.partitions()) {
      PartitionState st = partitions.get(tp);
      if (st == null || st.closed) {
        continue;
      }
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (st.closed) {
          break;
        }
        if (st.nextOffset >= 0 && r.offset() < st.nextOffset) {
          continue;
        }
        if (st.retryWaiting()) {
          // a record of this batch failed at once: nothing new is dispatched while it waits, so the
          // rest of
          // the batch (never dispatched) is fetched again after the wait
          consumer.seek(tp, r.offset());
          break;
        }
        handle(st, r);
      }
      checkBound(st);
    }
  }

  private void handle(PartitionState st, ConsumerRecord<byte[], byte[]> r) {
    if (st.metrics.delay != null && r.timestamp() >= 0) {
      st.metrics.delay.observe(Math.max(0L, settings.clock().millis() - r.timestamp()) / 1000.0);
    }
    int bytes = Math.max(0, r.serializedValueSize());
    InFlight e = st.add(r.offset(), bytes);
    e.record = r;
    deliver(st, e, true);
  }

  /**
   * Decodes {@code e}'s record and hands it to the pipeline: the first time ({@code first}, which
   * counts the record in the receive metrics) or again after a retryable failure.
   */
  private void deliver(PartitionState st, InFlight e, boolean first) {
    ConsumerRecord<byte[], byte[]> r = e.record;
    int dispatch = ++e.dispatches;
    Signal signal = st.signal;
    if (signal == null) {
      st.metrics.recordsFailed.inc();
      skip(st, e, "no signal reads topic " + r.topic(), "unrouted");
      return;
    }
    OtlpData data;
    try {
      data = decoder.decode(signal, config.signal(signal).encoding(), r);
    } catch (RuntimeException ex) {
      if (first) {
        st.metrics.recordsFailed.inc();
        st.metrics.bytesFailed.inc(e.bytes);
        st.metrics.unmarshalFailed.inc();
      }
      deadLetterOrSkip(st, e, ex, "unmarshal");
      return;
    }
    if (first) {
      st.metrics.recordsOk.inc();
      st.metrics.bytesOk.inc(e.bytes);
    }
    if (data.isEmpty()) {
      finish(st, e);
      return;
    }
    Context ctx = RecordDecoder.context(r);
    TelemetryConsumer<OtlpData> consumerOfSignal = next.get(signal);
    CompletableFuture<Void> f;
    try {
      f = consumerOfSignal.consume(ctx, data);
    } catch (Throwable t) {
      f = CompletableFuture.failedFuture(t);
    }
    if (!config.messageMarking().after()) {
      finish(st, e); // marked before the pipeline finished: at most once, as asked
      f.whenComplete(
          (v, t) -> {
            if (t != null) {
              errorLog.warn(
                  settings.id()
                      + ": pipeline failed for a record already marked (message_marking.after "
                      + "is false): "
                      + PipelineException.classify(t).getMessage(),
                  null);
            }
          });
      return;
    }
    if (f.isDone()) {
      onOutcome(new Outcome(e, dispatch, failureOf(f), null, null));
    } else {
      f.whenComplete((v, t) -> outcomes.add(new Outcome(e, dispatch, t, null, null)));
    }
  }

  private static Throwable failureOf(CompletableFuture<Void> f) {
    if (!f.isCompletedExceptionally()) {
      return null;
    }
    try {
      f.join();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private void drainOutcomes() {
    Outcome o;
    while ((o = outcomes.poll()) != null) {
      onOutcome(o);
    }
  }

  private void onOutcome(Outcome o) {
    InFlight e = o.entry();
    PartitionState st = e.owner;
    if (st.closed || e.cancelled || e.done || o.dispatch() != e.dispatches) {
      return;
    }
    long now = System.nanoTime();
    if (o.deadLetterReason() != null) {
      if (o.error() == null) {
        st.metrics.deadLettered(o.deadLetterReason());
        finish(st, e);
      } else {
        retry(
            st,
            e,
            PipelineException.classify(o.error()),
            now); // the copy failed: handled again later
      }
      return;
    }
    if (o.error() == null) {
      st.releaseWaiting(); // the pipeline takes data again: the records waiting for a retry go now
      finish(st, e);
      return;
    }
    PipelineException pe = PipelineException.classify(o.error());
    if (!pe.isRetryable() && config.messageMarking().onPermanentError()) {
      deadLetterOrSkip(st, e, pe, "permanent");
    } else if (pe.isRetryable()
        && config.messageMarking().onError()
        && e.backoff != null
        && e.backoff.exhausted(now)) {
      deadLetterOrSkip(st, e, pe, "retries_exhausted");
    } else {
      retry(st, e, pe, now);
    }
  }

  /**
   * Makes {@code e} wait for its backoff and then go to the pipeline again (see {@link
   * #releaseRetries}); the records after it go on, and the partition fetches nothing new while it
   * waits.
   */
  private void retry(PartitionState st, InFlight e, PipelineException pe, long now) {
    if (e.backoff == null) {
      e.backoff = new RetryBackoff(config.errorBackoff(), ThreadLocalRandom.current()::nextDouble);
    }
    Duration throttle = pe instanceof RetryableException r ? r.throttle().orElse(null) : null;
    Duration wait = e.backoff.next(now, throttle);
    st.scheduleRetry(e, now + wait.toNanos());
    st.metrics.retried.inc();
    boolean exhausted = e.backoff.exhausted(now);
    retryLog.warn(
        settings.id()
            + ": pipeline refused "
            + st.tp
            + " offset "
            + e.offset
            + " ("
            + (pe.isRetryable() ? "retryable" : "permanent")
            + ": "
            + pe.getMessage()
            + "); retrying it in "
            + wait.toMillis()
            + " ms (attempt "
            + e.backoff.attempts()
            + "), partition paused meanwhile",
        null);
    if (exhausted) {
      host.status().report(statusKey, Status.RECOVERABLE_ERROR, pe);
    }
  }

  private void deadLetterOrSkip(PartitionState st, InFlight e, Throwable error, String reason) {
    if (deadLetter == null || e.record == null) {
      skip(st, e, String.valueOf(error.getMessage()), reason);
      return;
    }
    int dispatch = e.dispatches;
    deadLetter.send(
        e.record, error, failure -> outcomes.add(new Outcome(e, dispatch, failure, reason, error)));
  }

  private void skip(PartitionState st, InFlight e, String why, String reason) {
    st.metrics.skipped(reason);
    skipLog.warn(
        settings.id()
            + ": skipped record "
            + st.tp
            + " offset "
            + e.offset
            + " ("
            + reason
            + "): "
            + why,
        null);
    finish(st, e);
  }

  private void finish(PartitionState st, InFlight e) {
    if (st.complete(e)) {
      if (!config.autocommit().enable()) {
        commitNow = true;
      }
    }
    releaseBound(st);
  }

  /**
   * Lifts the in-flight pause once both counts fell to half the bound (hysteresis: fewer
   * pause/resume flips).
   */
  private void releaseBound(PartitionState st) {
    if (st.pausedForBound
        && st.inFlightRecords() <= config.maxInFlight().records() / 2
        && st.inFlightBytes() <= config.maxInFlight().bytes() / 2) {
      st.pausedForBound = false;
    }
  }

  private void checkBound(PartitionState st) {
    if (st.inFlightRecords() >= config.maxInFlight().records()
        || st.inFlightBytes() >= config.maxInFlight().bytes()) {
      st.pausedForBound = true;
    }
  }

  /** Hands every record whose retry is due to the pipeline again. */
  private void releaseRetries(long now) {
    for (PartitionState st : new ArrayList<>(partitions.values())) {
      for (InFlight e : st.dueRetries(now)) {
        if (st.closed || e.done || e.cancelled) {
          continue;
        }
        deliver(st, e, false);
      }
    }
  }

  private void applyPauses() {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (PartitionState st : partitions.values()) {
      boolean want = closing || st.pausedForBound || st.retryWaiting();
      if (want != st.paused) {
        (want ? pause : resume).add(st.tp);
        st.paused = want;
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> pendingCommits(Collection<PartitionState> states) {
    Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
    for (PartitionState st : states) {
      if (st.commitPending()) {
        m.put(st.tp, new OffsetAndMetadata(st.committable()));
      }
    }
    return m;
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> m = pendingCommits(partitions.values());
    if (m.isEmpty()) {
      return;
    }
    m.forEach((tp, om) -> partitions.get(tp).committed = om.offset());
    consumer.commitAsync(
        m,
        (offsets, ex) -> {
          if (ex != null) {
            errorLog.warn(
                settings.id() + ": offset commit failed (retried at the next interval): " + ex,
                null);
            offsets.forEach(
                (tp, om) -> {
                  PartitionState st = partitions.get(tp);
                  if (st != null && st.committed == om.offset()) {
                    st.committed = -1;
                  }
                });
          } else {
            offsets.forEach(
                (tp, om) -> {
                  PartitionState st = partitions.get(tp);
                  if (st != null) {
                    st.metrics.offset.set(om.offset());
                  }
                });
          }
        });
  }

  /**
   * Commits the finished prefix of {@code states} and waits for it. With {@code mayPoll} (only
   * outside rebalance callbacks, with every partition paused), a commit refused because a rebalance
   * is under way is retried after a poll completes the rebalance (our callbacks commit what is
   * revoked), as the client advises.
   */
  private void commitSync(Collection<PartitionState> states, Duration timeout, boolean mayPoll) {
    long until = System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; attempt < 4; attempt++) {
      List<PartitionState> open = states.stream().filter(st -> !st.closed).toList();
      Map<TopicPartition, OffsetAndMetadata> m = pendingCommits(open);
      long left = until - System.nanoTime();
      if (m.isEmpty() || left <= 0) {
        return;
      }
      try {
        consumer.commitSync(m, Duration.ofNanos(left));
        m.forEach(
            (tp, om) -> {
              PartitionState st = partitions.get(tp);
              if (st != null) {
                st.committed = om.offset();
                st.metrics.offset.set(om.offset());
              }
            });
        return;
      } catch (WakeupException e) {
        // a shutdown wakeup hit the commit: try again
      } catch (RebalanceInProgressException e) {
        if (!mayPoll) {
          logger.warn(
              "{}: offset commit of {} refused during a rebalance; the next owner re-reads from the"
                  + " last commit",
              settings.id(),
              m.keySet());
          return;
        }
        try {
          consumer.poll(
              Duration.ofMillis(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))));
        } catch (KafkaException pe) { // includes a shutdown wakeup
          logger.debug("poll to complete a rebalance", pe);
        }
      } catch (KafkaException e) {
        logger.warn("{}: offset commit of {} failed: {}", settings.id(), m.keySet(), e.toString());
        return;
      }
    }
  }

  /**
   * Sets {@code offset_lag} per partition: the log end offset (one ListOffsets request for the
   * assignment, at most every few seconds, bounded by a short timeout) minus the committable
   * offset. The client's cached {@code currentLag} is not used: it goes stale while a partition is
   * paused, which is when the lag matters.
   */
  private void updateLag() {
    List<TopicPartition> known = new ArrayList<>();
    for (PartitionState st : partitions.values()) {
      if (st.committable() >= 0) {
        known.add(st.tp);
      }
    }
    if (known.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(known, LAG_TIMEOUT);
    } catch (KafkaException e) {
      return; // try again at the next interval
    }
    ends.forEach(
        (tp, end) -> {
          PartitionState st = partitions.get(tp);
          if (st != null && end != null && st.committable() >= 0) {
            st.metrics.lag.set(Math.max(0, end - st.committable()));
          }
        });
  }

  /** The sum of {@code count} over {@code states}. */
  private static int sum(Collection<PartitionState> states, ToIntFunction<PartitionState> count) {
    int n = 0;
    for (PartitionState st : states) {
      n += count.applyAsInt(st);
    }
    return n;
  }

  /**
   * Records of {@code states} that the pipeline (or the dead-letter producer) holds: not waiting
   * for a retry.
   */
  private static int busy(Collection<PartitionState> states) {
    return sum(states, PartitionState::busyRecords);
  }

  /**
   * Processes outcomes until nothing of {@code states} is in the pipeline or {@code untilNanos}
   * passes. Records waiting for a retry are not dispatched again here and not waited for: they are
   * left to the next owner.
   */
  private void await(Collection<PartitionState> states, long untilNanos) {
    while (busy(states) > 0) {
      long left = untilNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Outcome o =
            outcomes.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
        if (o != null) {
          onOutcome(o);
          drainOutcomes();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void closeDown() {
    Deadline deadline = closeDeadline;
    long start = System.nanoTime();
    long drainUntil = start + (long) (deadline.remaining().toNanos() * 0.6);
    applyPauses();
    while (busy(partitions.values()) > 0 && System.nanoTime() - drainUntil < 0) {
      drainOutcomes();
      try {
        consumer.poll(
            Duration.ofMillis(POLL_BUSY_MS)); // keeps the membership; every partition is paused
      } catch (WakeupException e) {
        // the shutdown wakeup
      } catch (KafkaException e) {
        errorLog.warn(settings.id() + ": consumer error while draining: " + e, e);
      }
    }
    drainOutcomes();
    int left = sum(partitions.values(), PartitionState::inFlightRecords);
    if (left > 0) {
      int unfinished = sum(partitions.values(), PartitionState::unfinishedRecords);
      logger.warn(
          "{}: {} records after the committed offsets at shutdown ({} of them unfinished); they"
              + " will be read again",
          settings.id(),
          left,
          unfinished);
    }
    commitSync(
        new ArrayList<>(partitions.values()),
        min(deadline.remaining().dividedBy(2), Duration.ofSeconds(5)),
        true);
    try {
      consumer.close(CloseOptions.timeout(deadline.remaining()));
    } catch (RuntimeException e) {
      logger.warn("{}: consumer close: {}", settings.id(), e.toString());
    }
    for (PartitionState st : partitions.values()) {
      st.close();
      metrics.partitionClosed();
    }
    partitions.clear();
    if (deadLetter != null) {
      deadLetter.close(deadline.remaining());
    }
    logger.info("{} stopped", settings.id());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Rebalance callbacks; they run on the poll thread inside {@code poll} (and {@code close}). */
  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      for (TopicPartition tp : assigned) {
        PartitionState st = new PartitionState(tp, route(tp.topic()));
        st.metrics = metrics.partition(tp, st.signal);
        PartitionState old = partitions.put(tp, st);
        if (old != null) {
          old.close();
        }
        metrics.partitionStarted();
      }
      if (closing) {
        applyPauses();
      }
      if (!assigned.isEmpty()) {
        logger.info("{}: partitions assigned: {}", settings.id(), assigned);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      List<PartitionState> states = new ArrayList<>();
      for (TopicPartition tp : revoked) {
        PartitionState st = partitions.get(tp);
        if (st != null) {
          states.add(st);
        }
      }
      if (states.isEmpty()) {
        return;
      }
      long until = System.nanoTime() + config.revokeTimeout().toNanos();
      Deadline d = closeDeadline;
      if (d != null && d.nanoTime() - until < 0) {
        until = d.nanoTime();
      }
      await(states, until);
      int dropped = sum(states, PartitionState::inFlightRecords);
      int unfinished = sum(states, PartitionState::unfinishedRecords);
      commitSync(states, Duration.ofSeconds(5), false);
      for (PartitionState st : states) {
        st.close();
        partitions.remove(st.tp);
        metrics.partitionClosed();
      }
      logger.info(
          "{}: partitions revoked: {}{}",
          settings.id(),
          revoked,
          dropped > 0
              ? " ("
                  + dropped
                  + " records after the committed offsets left to the next owner, "
                  + unfinished
                  + " of them unfinished)"
              : "");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      for (TopicPartition tp : lost) {
        PartitionState st = partitions.remove(tp);
        if (st != null) {
          st.close();
          metrics.partitionClosed();
        }
      }
      logger.warn("{}: partitions lost (not committed): {}", settings.id(), lost);
    }
  }
}
