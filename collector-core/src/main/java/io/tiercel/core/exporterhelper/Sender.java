package io.tiercel.core.exporterhelper;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to export a request: the part an exporter writes itself. Must not block; the future
 * completes when the backend accepted the data, or fails with a {@link
 * io.tiercel.core.consumer.RetryableException} / {@link
 * io.tiercel.core.consumer.PermanentException} (anything else counts as retryable). When only some
 * items failed, the failure carries them ({@link
 * io.tiercel.core.consumer.PipelineException#failed()}, data of the same signal): the exporter
 * helper then counts the others as sent and passes only the failed part to the next attempt, so a
 * sender never needs to remember what an earlier attempt did.
 */
@FunctionalInterface
public interface Sender<T extends OtlpData> {
  CompletableFuture<Void> send(Context ctx, T data);
}
