package io.tiercel.kafka.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.LiveStatus;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.core.util.ThrottledLogger;
import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.encoding.SignalCodec;
import io.tiercel.kafka.common.telemetry.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
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
 * acknowledged the copy) or is skipped and counted. A {@code RuntimeException} thrown while records
 * are handed to the pipeline is that hand-over's outcome (see {@code RecordDispatcher.send}); any
 * other failure ends the poll loop and is reported as {@code FATAL_ERROR}, never silently.
 */
public final class KafkaReceiver implements Receiver, LiveStatus {
  private static final long POLL_IDLE_MS = 100;
  private static final long POLL_BUSY_MS = 10;
  private static final long LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Settings settings;
  private final KafkaReceiverConfig config;
  private final ClientConfig client;
  private final Consumers next;
  private final Logger logger;
  private final String statusKey;
  private final ReceiverMetrics metrics;
  private final ThrottledLogger errorLog;
  private final AssignmentStatus assignment;

  private final Object lock = new Object();
  // guarded by lock
  private boolean started;
  private boolean stopped;

  private volatile boolean closing;
  private volatile Deadline closeDeadline;
  private Thread pollThread;
  private Host host;
  private KafkaClientMetrics clientMetrics; // guarded by lock

  // poll thread only (after start)
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterSender deadLetter;
  private TopicRouter router;
  private RecordDispatcher dispatcher;
  private OffsetCommits commits;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  KafkaReceiver(Settings settings, KafkaReceiverConfig config, Consumers next) {
    this.settings = settings;
    this.config = config;
    this.client = config.client();
    this.next = next;
    this.logger = settings.logger();
    this.statusKey = "receiver/" + settings.id();
    this.metrics =
        new ReceiverMetrics(
            settings.metrics(), settings.id().toString(), config.telemetry().recordsDelay());
    this.errorLog = new ThrottledLogger(logger, Duration.ofSeconds(10));
    this.assignment = new AssignmentStatus(config.groupId());
  }

  /**
   * The partitions assigned to this instance with their committed offset, lag and records in
   * flight, as the poll thread last published them (at most half a second old).
   */
  @Override
  public Map<String, Object> liveStatus() {
    return assignment.snapshot();
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
      Map<Signal, SignalCodec> codecs = new EnumMap<>(Signal.class);
      for (Signal s : next.signals()) {
        String place = "receivers." + settings.id() + "." + s.id() + ".encoding";
        codecs.put(s, config.signal(s).encoding().codec(host, place, s, false));
      }
      host.status().report(statusKey, Status.STARTING, null);
      client.insecureWarning().ifPresent(w -> logger.warn("Receiver {}: {}", settings.id(), w));
      Map<String, Object> clientProperties = client.properties(host); // reads PEM files: once
      consumer = new KafkaConsumer<>(ConsumerProperties.of(config, clientProperties));
      var consumerMetrics = consumer.metrics(); // a live view, read at scrape time
      clientMetrics = KafkaClientMetrics.consumer(settings, () -> consumerMetrics);
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
      router = new TopicRouter(config, next.signals());
      dispatcher =
          new RecordDispatcher(
              settings,
              config,
              next,
              codecs,
              consumer,
              partitions,
              deadLetter,
              host,
              statusKey,
              errorLog);
      commits = new OffsetCommits(settings.id().toString(), logger, errorLog, consumer, partitions);
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
      clientMetrics.close();
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
      router.subscribe(consumer, new Listener());
      host.status().report(statusKey, Status.OK, null);
      long nextCommit = System.nanoTime() + config.autocommit().interval().toNanos();
      long nextLag = System.nanoTime() + LAG_EVERY_NANOS;
      while (!closing) {
        try {
          dispatcher.drainOutcomes();
          long now = System.nanoTime();
          dispatcher.releaseRetries(now);
          applyPauses();
          if (dispatcher.takeCommitRequest() || now - nextCommit >= 0) {
            commits.commitAsync();
            nextCommit = now + config.autocommit().interval().toNanos();
          }
          ConsumerRecords<byte[], byte[]> records =
              consumer.poll(Duration.ofMillis(pollTimeoutMs()));
          dispatcher.dispatch(records);
          assignment.publishIfDue(partitions.values(), System.nanoTime());
          if (System.nanoTime() - nextLag >= 0) {
            commits.updateLag();
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
      // a failure outside a hand-over (those fail only their records, see RecordDispatcher.send):
      // the loop's state is not trusted any more, so the receiver stops consuming and says so
      logger.error(
          "{}: poll loop failed, the receiver stopped consuming (status FATAL_ERROR)",
          settings.id(),
          t);
      host.status()
          .report(
              statusKey,
              Status.FATAL_ERROR,
              new IllegalStateException("poll loop failed, not consuming: " + t, t));
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

  private long pollTimeoutMs() {
    if (dispatcher.hasOutcomes()) {
      return 0;
    }
    for (PartitionState st : partitions.values()) {
      if (st.paused) {
        return POLL_BUSY_MS;
      }
    }
    return POLL_IDLE_MS;
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

  private void closeDown() {
    Deadline deadline = closeDeadline;
    long start = System.nanoTime();
    long drainUntil = start + (long) (deadline.remaining().toNanos() * 0.6);
    applyPauses();
    while (RecordDispatcher.busy(partitions.values()) > 0 && System.nanoTime() - drainUntil < 0) {
      dispatcher.drainOutcomes();
      try {
        consumer.poll(
            Duration.ofMillis(POLL_BUSY_MS)); // keeps the membership; every partition is paused
      } catch (WakeupException e) {
        // the shutdown wakeup
      } catch (KafkaException e) {
        errorLog.warn(settings.id() + ": consumer error while draining: " + e, e);
      }
    }
    dispatcher.drainOutcomes();
    int left = PartitionState.sum(partitions.values(), PartitionState::inFlightRecords);
    if (left > 0) {
      int unfinished = PartitionState.sum(partitions.values(), PartitionState::unfinishedRecords);
      logger.warn(
          "{}: {} records after the committed offsets at shutdown ({} of them unfinished); they"
              + " will be read again",
          settings.id(),
          left,
          unfinished);
    }
    commits.commitSync(
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
    assignment.publish(partitions.values());
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
        PartitionState st = new PartitionState(tp, router.route(tp.topic()));
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
      assignment.publish(partitions.values());
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
      dispatcher.await(states, until);
      int dropped = PartitionState.sum(states, PartitionState::inFlightRecords);
      int unfinished = PartitionState.sum(states, PartitionState::unfinishedRecords);
      commits.commitSync(states, Duration.ofSeconds(5), false);
      for (PartitionState st : states) {
        st.close();
        partitions.remove(st.tp);
        metrics.partitionClosed();
      }
      assignment.publish(partitions.values());
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
      assignment.publish(partitions.values());
      logger.warn("{}: partitions lost (not committed): {}", settings.id(), lost);
    }
  }
}
