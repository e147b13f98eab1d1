package io.tiercel.kafka.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.util.ThrottledLogger;
import io.tiercel.kafka.common.encoding.SignalCodec;
import io.tiercel.kafka.receiver.PartitionState.InFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Hands the records of the assigned partitions to their signal's pipeline and acts on the outcomes:
 * a finished record is marked, a retryable failure is retried in place, an undecodable record or a
 * permanent refusal is dead-lettered or skipped (see {@link KafkaReceiver} for the rules). Runs on
 * the poll thread; pipeline and dead-letter outcomes completing on other threads come back through
 * a queue that the poll thread drains.
 */
final class RecordDispatcher {
  /** A pipeline or dead-letter outcome handed back to the poll thread. */
  private record Outcome(
      InFlight entry,
      int dispatch,
      @Nullable Throwable error,
      @Nullable String deadLetterReason,
      @Nullable Throwable original) {}

  private final Settings settings;
  private final KafkaReceiverConfig config;
  private final Consumers next;
  private final RecordDecoder decoder;
  private final Map<Signal, SignalCodec> codecs;
  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, PartitionState> partitions;
  private final @Nullable DeadLetterSender deadLetter;
  private final Host host;
  private final String statusKey;
  private final ThrottledLogger skipLog;
  private final ThrottledLogger retryLog;
  private final ThrottledLogger errorLog;
  private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private boolean commitNow;

  RecordDispatcher(
      Settings settings,
      KafkaReceiverConfig config,
      Consumers next,
      Map<Signal, SignalCodec> codecs,
      Consumer<byte[], byte[]> consumer,
      Map<TopicPartition, PartitionState> partitions,
      @Nullable DeadLetterSender deadLetter,
      Host host,
      String statusKey,
      ThrottledLogger errorLog) {
    this.settings = settings;
    this.config = config;
    this.next = next;
    this.decoder = new RecordDecoder(config.headerExtraction());
    this.codecs = Map.copyOf(codecs);
    this.consumer = consumer;
    this.partitions = partitions;
    this.deadLetter = deadLetter;
    this.host = host;
    this.statusKey = statusKey;
    this.skipLog = new ThrottledLogger(settings.logger(), Duration.ofSeconds(10));
    this.retryLog = new ThrottledLogger(settings.logger(), Duration.ofSeconds(10));
    this.errorLog = errorLog;
  }

  /** True when outcomes wait to be handled (the poll thread then polls without waiting). */
  boolean hasOutcomes() {
    return !outcomes.isEmpty();
  }

  /**
   * True once since a finished record moved a committable offset while {@code autocommit} is off
   * (the poll thread then commits at once).
   */
  boolean takeCommitRequest() {
    boolean c = commitNow;
    commitNow = false;
    return c;
  }

  /**
   * Hands the records of one poll to the pipelines (skipping what is not wanted any more): with
   * {@code hand_over: fetch}, each partition's records as few requests as their headers allow (see
   * {@link HandOver}); with {@code record}, one call per record.
   */
  void dispatch(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    boolean perFetch = config.handOver() == HandOver.FETCH;
    for (TopicPartition tp : records.partitions()) {
      PartitionState st = partitions.get(tp);
      if (st == null || st.closed) {
        continue;
      }
      Request request = new Request();
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (st.closed) {
          break;
        }
        if (st.nextOffset >= 0 && r.offset() < st.nextOffset) {
          continue;
        }
        if (st.retryWaiting()) {
          // a record of this batch failed at once: nothing new is dispatched while it waits, so
          // the rest of the batch (never dispatched) is fetched again after the wait
          consumer.seek(tp, r.offset());
          break;
        }
        InFlight e = accept(st, r);
        if (!perFetch) {
          deliver(st, e, true);
          continue;
        }
        OtlpData data = decoded(st, e, true);
        if (data == null) {
          continue; // finished here: undecodable, unrouted or empty
        }
        if (!request.fits(r, data)) {
          request.send(st);
          request = new Request();
        }
        request.add(e, data);
      }
      request.send(st);
      checkBound(st);
    }
  }

  /** Counts a polled record and adds it to its partition's in-flight entries. */
  private InFlight accept(PartitionState st, ConsumerRecord<byte[], byte[]> r) {
    if (st.metrics.delay != null && r.timestamp() >= 0) {
      st.metrics.delay.observe(Math.max(0L, settings.clock().millis() - r.timestamp()) / 1000.0);
    }
    int bytes = Math.max(0, r.serializedValueSize());
    InFlight e = st.add(r.offset(), bytes);
    e.record = r;
    return e;
  }

  /**
   * Records of one partition and poll on their way into one request: consecutive, decoded, with the
   * same headers (the request's context holds the first record's headers and every offset).
   */
  private final class Request {
    private final List<InFlight> entries = new ArrayList<>();
    private final List<OtlpData> parts = new ArrayList<>();

    boolean fits(ConsumerRecord<byte[], byte[]> r, OtlpData data) {
      if (entries.isEmpty()) {
        return true;
      }
      if (!Batches.joinable(data.signal())) {
        return false;
      }
      return Arrays.equals(entries.get(0).record.headers().toArray(), r.headers().toArray());
    }

    void add(InFlight e, OtlpData data) {
      entries.add(e);
      parts.add(data);
    }

    void send(PartitionState st) {
      if (!entries.isEmpty()) {
        RecordDispatcher.this.send(st, entries, parts);
      }
    }
  }

  /**
   * Decodes {@code e}'s record and hands it to the pipeline: the first time ({@code first}, which
   * counts the record in the receive metrics) or again after a retryable failure.
   */
  private void deliver(PartitionState st, InFlight e, boolean first) {
    OtlpData data = decoded(st, e, first);
    if (data != null) {
      send(st, List.of(e), List.of(data));
    }
  }

  /**
   * The data of {@code e}'s record, or null when it was finished here: no signal reads its topic,
   * it does not decode (dead-lettered or skipped), or it holds no items.
   */
  private @Nullable OtlpData decoded(PartitionState st, InFlight e, boolean first) {
    ConsumerRecord<byte[], byte[]> r = e.record;
    Signal signal = st.signal;
    if (signal == null) {
      ++e.dispatches;
      st.metrics.recordsFailed.inc();
      skip(st, e, "no signal reads topic " + r.topic(), "unrouted");
      return null;
    }
    OtlpData data;
    try {
      data = decoder.decode(signal, codecs.get(signal), r);
    } catch (RuntimeException ex) {
      ++e.dispatches;
      if (first) {
        st.metrics.recordsFailed.inc();
        st.metrics.bytesFailed.inc(e.bytes);
        st.metrics.unmarshalFailed.inc();
      }
      deadLetterOrSkip(st, e, ex, "unmarshal");
      return null;
    }
    if (first) {
      st.metrics.recordsOk.inc();
      st.metrics.bytesOk.inc(e.bytes);
    }
    if (data.isEmpty()) {
      ++e.dispatches;
      finish(st, e);
      return null;
    }
    return data;
  }

  /**
   * Hands {@code parts}, the data of {@code entries} (one partition, offset order), to the pipeline
   * as one request; its outcome becomes each entry's outcome.
   *
   * <p>A {@link RuntimeException} thrown anywhere in the hand-over (building the context, joining
   * the parts, the pipeline's {@code consume} itself) fails this hand-over only: it is that
   * request's outcome, classified like a failed future (retryable unless it is a permanent {@link
   * PipelineException}), so its records are retried alone or dead-lettered by the usual rules and
   * none of them is committed before it finished. An {@link Error} is not caught: it ends the poll
   * loop, which reports {@code FATAL_ERROR}.
   */
  private void send(PartitionState st, List<InFlight> entries, List<OtlpData> parts) {
    int[] dispatch = new int[entries.size()];
    for (int i = 0; i < dispatch.length; i++) {
      dispatch[i] = ++entries.get(i).dispatches;
    }
    CompletableFuture<Void> f;
    try {
      TelemetryConsumer<OtlpData> consumerOfSignal = next.get(st.signal);
      f = consumerOfSignal.consume(contextOf(entries), Batches.join(parts));
    } catch (RuntimeException ex) {
      if (!(ex instanceof PipelineException)) { // a refusal thrown rather than returned is usual
        errorLog.warn(
            settings.id()
                + ": handing "
                + entries.size()
                + " record(s) of "
                + st.tp
                + " from offset "
                + entries.get(0).offset
                + " to the pipeline threw "
                + ex
                + "; they are handled as a failed hand-over",
            ex);
      }
      f = CompletableFuture.failedFuture(ex);
    }
    if (!config.messageMarking().after()) {
      for (InFlight e : entries) {
        finish(st, e); // marked before the pipeline finished: at most once, as asked
      }
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
      Throwable failure = failureOf(f);
      for (int i = 0; i < dispatch.length; i++) {
        onOutcome(new Outcome(entries.get(i), dispatch[i], failure, null, null));
      }
    } else {
      f.whenComplete(
          (v, t) -> {
            for (int i = 0; i < dispatch.length; i++) {
              outcomes.add(new Outcome(entries.get(i), dispatch[i], t, null, null));
            }
          });
    }
  }

  /**
   * The context of a request carrying {@code entries}: the first record's headers and every offset
   * it covers.
   */
  private static Context contextOf(List<InFlight> entries) {
    Context ctx = RecordDecoder.context(entries.get(0).record);
    if (entries.size() == 1) {
      return ctx;
    }
    List<String> offsets = new ArrayList<>(entries.size());
    for (InFlight e : entries) {
      offsets.add(Long.toString(e.offset));
    }
    return ctx.with(RecordDecoder.OFFSET, offsets);
  }

  private static @Nullable Throwable failureOf(CompletableFuture<Void> f) {
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

  /** Handles every outcome that has come back. */
  void drainOutcomes() {
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
  void releaseRetries(long now) {
    for (PartitionState st : new ArrayList<>(partitions.values())) {
      for (InFlight e : st.dueRetries(now)) {
        if (st.closed || e.done || e.cancelled) {
          continue;
        }
        deliver(st, e, false);
      }
    }
  }

  /**
   * Records of {@code states} that the pipeline (or the dead-letter producer) holds: not waiting
   * for a retry.
   */
  static int busy(Collection<PartitionState> states) {
    return PartitionState.sum(states, PartitionState::busyRecords);
  }

  /**
   * Processes outcomes until nothing of {@code states} is in the pipeline or {@code untilNanos}
   * passes. Records waiting for a retry are not dispatched again here and not waited for: they are
   * left to the next owner.
   */
  void await(Collection<PartitionState> states, long untilNanos) {
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
}
