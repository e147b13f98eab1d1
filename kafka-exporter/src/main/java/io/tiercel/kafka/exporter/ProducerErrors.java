package io.tiercel.kafka.exporter;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;

/** How a failure of the Kafka producer maps onto the pipeline's retryable and permanent errors. */
final class ProducerErrors {
  private ProducerErrors() {}

  /**
   * Kafka's retriable errors are retryable; a record or topic the broker will never take is
   * permanent.
   */
  static PipelineException classify(Throwable t) {
    Throwable c = PipelineException.unwrap(t);
    if (c instanceof PipelineException pe) {
      return pe;
    }
    if (c instanceof org.apache.kafka.common.errors.RecordTooLargeException
        || c instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
        || c instanceof org.apache.kafka.common.errors.InvalidTopicException
        || c instanceof org.apache.kafka.common.InvalidRecordException
        || c instanceof org.apache.kafka.common.errors.SerializationException
        || c instanceof org.apache.kafka.common.errors.TopicAuthorizationException
        || c instanceof org.apache.kafka.common.errors.ClusterAuthorizationException
        || c instanceof org.apache.kafka.common.errors.UnsupportedVersionException) {
      return new PermanentException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
    }
    return new RetryableException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
  }
}
