package io.tiercel.otlp.exporter;

import io.tiercel.core.config.Validatable;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import java.time.Duration;

/** What the two OTLP exporter configs share: the settings of the queue/retry/timeout helper. */
sealed interface OtlpExporterConfig extends Validatable
    permits OtlpGrpcExporterConfig, OtlpHttpExporterConfig {
  /** The limit of one attempt. */
  Duration timeout();

  /** Backoff for retryable failures. */
  RetryConfig retryOnFailure();

  /** The bounded queue in front of the sends. */
  QueueConfig sendingQueue();

  /** The client authenticator, or null. */
  io.tiercel.core.extension.auth.@org.jspecify.annotations.Nullable AuthConfig auth();
}
