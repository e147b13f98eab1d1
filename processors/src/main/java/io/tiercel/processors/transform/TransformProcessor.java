package io.tiercel.processors.transform;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The {@code transform} processor for one signal: runs its statement groups and forwards the
 * result.
 */
final class TransformProcessor<T extends OtlpData> implements Processor<T> {
  private final UnaryOperator<T> transform;
  private final TelemetryConsumer<T> next;

  TransformProcessor(UnaryOperator<T> transform, TelemetryConsumer<T> next) {
    this.transform = transform;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    T out;
    try {
      out = transform.apply(data);
    } catch (PipelineException e) {
      return TelemetryConsumer.failed(e);
    } catch (MalformedDataException e) {
      return TelemetryConsumer.failed(PipelineException.classify(e));
    } catch (RuntimeException e) {
      return TelemetryConsumer.failed(new PermanentException("transform failed: " + e, e));
    }
    return next.consume(ctx, out);
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public void start(Host host) {
    // nothing to start: statements were compiled at creation
  }

  @Override
  public void shutdown(Deadline deadline) {
    // nothing buffered
  }
}
