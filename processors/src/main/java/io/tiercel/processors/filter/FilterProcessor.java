package io.tiercel.processors.filter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
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
import java.util.function.Function;

/**
 * The {@code filter} processor for one signal: drops matching items, counts them, and forwards what
 * is left. Data fully dropped completes the upstream future at once; otherwise the downstream
 * future is returned. Data with nothing dropped is forwarded as the same object (its serialized
 * bytes stay usable).
 */
final class FilterProcessor<T extends OtlpData> implements Processor<T> {
  private final Function<T, Filters.Result<T>> filter;
  private final TelemetryConsumer<T> next;
  private final CounterDataPoint filtered;

  FilterProcessor(
      Function<T, Filters.Result<T>> filter, TelemetryConsumer<T> next, CounterDataPoint filtered) {
    this.filter = filter;
    this.next = next;
    this.filtered = filtered;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    Filters.Result<T> r;
    try {
      r = filter.apply(data);
    } catch (PipelineException e) {
      return TelemetryConsumer.failed(e);
    } catch (MalformedDataException e) {
      return TelemetryConsumer.failed(PipelineException.classify(e));
    } catch (RuntimeException e) {
      return TelemetryConsumer.failed(new PermanentException("filter failed: " + e, e));
    }
    if (r.dropped() > 0) {
      filtered.inc(r.dropped());
    }
    if (r.data() == null) {
      return TelemetryConsumer.done();
    }
    return next.consume(ctx, r.data());
  }

  @Override
  public boolean mutatesData() {
    return true;
  }

  @Override
  public void start(Host host) {
    // nothing to start: conditions were compiled at creation
  }

  @Override
  public void shutdown(Deadline deadline) {
    // nothing buffered
  }
}
