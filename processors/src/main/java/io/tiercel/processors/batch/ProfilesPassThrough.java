package io.tiercel.processors.batch;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code batch} processor of a profiles pipeline: hands each request on as it is, and completes
 * its future with the downstream one.
 *
 * <p>Profiles are not joined: a profiles request's samples point by index into the request's own
 * dictionary, so two requests concatenated on the wire would leave the second one's indexes
 * pointing into the first one's tables, and a correct join would parse and re-index every request
 * (the collector's batch processor does not take profiles at all). A profiles pipeline that lists
 * {@code batch}, as a traces pipeline of the same tier does, therefore loads and carries every
 * request unchanged.
 */
final class ProfilesPassThrough<T extends OtlpData> implements Processor<T> {
  private final TelemetryConsumer<T> next;

  ProfilesPassThrough(TelemetryConsumer<T> next) {
    this.next = next;
  }

  @Override
  public void start(Host host) {}

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    return next.consume(ctx, data);
  }

  @Override
  public void shutdown(Deadline deadline) {}
}
