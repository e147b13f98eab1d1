package io.tiercel.processors.memorylimiter;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link MemoryLimiterIT}: a real {@code memory_limiter} (from its factory) over
 * this JVM's heap (run with {@code -Xmx1g -Xmn256m}: a fixed 256 MiB young generation, so garbage
 * alone lifts heap used above the 150 MiB soft limit between collections). Three phases, each ended
 * by what it waits for (or a cap, reported): garbage only; retained data until the limiter refuses;
 * the retained data dropped until it accepts again. Prints one {@code RESULT} line.
 */
public final class MemoryLimiterChild {
  static final long MIB = 1 << 20;
  static final long SOFT = 150 * MIB;
  private static final long CAP_NANOS = Duration.ofMinutes(3).toNanos();
  private static final int CHUNK = 64 * 1024;

  private MemoryLimiterChild() {}

  private static volatile Object sink;

  public static void main(String[] args) throws Exception {
    // hard limit 400 MiB, soft 150 MiB; the collector's default GC intervals (10 s soft, 0 hard)
    var cfg =
        new MemoryLimiterConfig(
            Duration.ofMillis(100), 400, 250, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    AtomicLong accepted = new AtomicLong();
    Processor<Traces> p =
        new MemoryLimiterProcessorFactory()
            .createTraces(
                Settings.forTest(Kind.PROCESSOR, ComponentId.of("memory_limiter"), Signal.TRACES),
                cfg,
                (ctx, d) -> {
                  accepted.addAndGet(d.itemCount());
                  return TelemetryConsumer.done();
                });
    Traces request = MemoryLimiterProcessorTest.spans(10);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong samplesAboveSoft = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                if (memory.getHeapMemoryUsage().getUsed() > SOFT) {
                  samplesAboveSoft.incrementAndGet();
                }
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "sampler");
    sampler.setDaemon(true);
    p.start(null);
    sampler.start();

    // 1. Garbage only: short-lived 64 KiB arrays (a ring of 32 keeps the allocation real), one
    // request per 16.
    Object[] ring = new Object[32];
    long gcsAtStart = collections();
    long start = System.nanoTime();
    long garbageRefused = 0;
    long garbageRequests = 0;
    boolean garbageDone = false;
    for (long i = 0; ; i++) {
      ring[(int) (i & 31)] = new byte[CHUNK];
      if ((i & 15) == 0) {
        garbageRequests++;
        if (refused(p.consume(Context.EMPTY, request))) {
          garbageRefused++;
        }
      }
      if ((i & 1023) == 0) {
        long elapsed = System.nanoTime() - start;
        garbageDone =
            samplesAboveSoft.get() >= 50
                && collections() - gcsAtStart >= 20
                && elapsed >= Duration.ofSeconds(3).toNanos();
        if (garbageDone || elapsed > CAP_NANOS) {
          break;
        }
      }
    }
    long garbageGcs = collections() - gcsAtStart;
    System.out.println(
        "garbage phase: done="
            + garbageDone
            + " samples_above_soft="
            + samplesAboveSoft.get()
            + " collections="
            + garbageGcs
            + " requests="
            + garbageRequests
            + " refused="
            + garbageRefused);

    // 2. Retained data: one 64 KiB array kept per 8 allocated, until a request is refused (cap 700
    // MiB of the
    // 768 MiB old generation, or 3 minutes).
    List<byte[]> retained = new ArrayList<>();
    start = System.nanoTime();
    boolean retainedRefused = false;
    for (long i = 0;
        retained.size() * (long) CHUNK < 700 * MIB && System.nanoTime() - start < CAP_NANOS;
        i++) {
      byte[] b = new byte[CHUNK];
      if ((i & 7) == 0) {
        retained.add(b);
      } else {
        ring[(int) (i & 31)] = b;
      }
      if ((i & 15) == 0 && refused(p.consume(Context.EMPTY, request))) {
        retainedRefused = true;
        break;
      }
      if ((i & 255) == 0) {
        Thread.sleep(1); // let the checker run on a busy machine
      }
    }
    long retainedMib = retained.size() * (long) CHUNK / MIB;
    System.out.println(
        "retained phase: refused=" + retainedRefused + " retained_mib=" + retainedMib);

    // 3. Drop it: garbage again until a request is accepted (the next forced GC, at most 10 s after
    // the last).
    retained.clear();
    start = System.nanoTime();
    boolean recovered = false;
    for (long i = 0; System.nanoTime() - start < CAP_NANOS; i++) {
      ring[(int) (i & 31)] = new byte[CHUNK];
      if ((i & 15) == 0 && !refused(p.consume(Context.EMPTY, request))) {
        recovered = true;
        break;
      }
      if ((i & 255) == 0) {
        Thread.sleep(1); // let the checker run on a busy machine
      }
    }
    sink = ring;
    System.out.println("recovery phase: recovered=" + recovered);
    sampler.interrupt();
    p.shutdown(Deadline.in(Duration.ofSeconds(5)));
    System.out.println(
        "RESULT garbage_done="
            + garbageDone
            + " garbage_refused="
            + garbageRefused
            + " retained_refused="
            + retainedRefused
            + " retained_mib="
            + retainedMib
            + " recovered="
            + recovered);
    System.out.flush();
  }

  private static boolean refused(CompletableFuture<Void> f) {
    return f.isCompletedExceptionally();
  }

  private static long collections() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }
}
