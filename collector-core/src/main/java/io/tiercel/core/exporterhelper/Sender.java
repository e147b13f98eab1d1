package io.tiercel.core.exporterhelper;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to export a request: the part an exporter writes itself. Must not block; the future
 * completes when the backend accepted the data, or fails with a {@link
 * io.tiercel.core.consumer.RetryableException} / {@link
 * io.tiercel.core.consumer.PermanentException} (anything else counts as retryable).
 */
@FunctionalInterface
public interface Sender<T extends OtlpData> {
  CompletableFuture<Void> send(Context ctx, T data);
}
