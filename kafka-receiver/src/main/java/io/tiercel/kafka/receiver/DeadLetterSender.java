package io.tiercel.kafka.receiver;

import io.tiercel.core.consumer.RetryableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;

/**
 * Copies failed records to the dead-letter topic with a producer owned by the receiver. {@code
 * send} may block (metadata, full buffer), so it runs on one daemon thread with a bounded queue; a
 * full queue or a failed send is reported as a retryable failure, so the record is retried rather
 * than lost.
 */
final class DeadLetterSender {
  /** Header names of a dead-letter record. */
  static final String H_TOPIC = "tiercel.dlq.topic";

  static final String H_PARTITION = "tiercel.dlq.partition";
  static final String H_OFFSET = "tiercel.dlq.offset";
  static final String H_TIMESTAMP = "tiercel.dlq.timestamp";
  static final String H_ERROR_CLASS = "tiercel.dlq.error.class";
  static final String H_ERROR_MESSAGE = "tiercel.dlq.error.message";
  private static final int QUEUE = 1024;

  private final String topic;
  private final Map<String, Object> props;
  private final Logger logger;
  private final ThreadFactory threads;
  private KafkaProducer<byte[], byte[]> producer;
  private ThreadPoolExecutor executor;

  DeadLetterSender(String topic, Map<String, Object> props, Logger logger, ThreadFactory threads) {
    this.topic = topic;
    this.props = props;
    this.logger = logger;
    this.threads = threads;
  }

  /**
   * Creates the producer and its thread, and warms the topic's metadata (a failure there is only
   * logged).
   */
  void start() {
    Map<String, Object> p = new java.util.HashMap<>(props);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    executor =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), threads);
    executor.execute(
        () -> {
          try {
            producer.partitionsFor(topic);
          } catch (RuntimeException e) {
            logger.warn(
                "dead-letter topic {}: metadata not available yet: {}", topic, e.toString());
          }
        });
  }

  /** The dead-letter topic. */
  String topic() {
    return topic;
  }

  /**
   * Sends a copy of {@code record} with the failure in its headers; {@code done} gets null once the
   * broker acknowledged it, or the failure. Never blocks the caller.
   */
  void send(ConsumerRecord<byte[], byte[]> record, Throwable error, Consumer<Throwable> done) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      headers.add(h);
    }
    headers.add(H_TOPIC, utf8(record.topic()));
    headers.add(H_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(H_OFFSET, utf8(Long.toString(record.offset())));
    headers.add(H_TIMESTAMP, utf8(Long.toString(record.timestamp())));
    headers.add(H_ERROR_CLASS, utf8(error.getClass().getName()));
    headers.add(H_ERROR_MESSAGE, utf8(String.valueOf(error.getMessage())));
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(topic, null, null, record.key(), record.value(), headers);
    try {
      executor.execute(
          () -> {
            try {
              producer.send(
                  copy,
                  (md, e) ->
                      done.accept(
                          e == null
                              ? null
                              : new RetryableException(
                                  "dead-letter send to " + topic + " failed: " + e.getMessage(),
                                  e)));
            } catch (RuntimeException e) {
              done.accept(
                  new RetryableException(
                      "dead-letter send to " + topic + " failed: " + e.getMessage(), e));
            }
          });
    } catch (RejectedExecutionException e) {
      done.accept(new RetryableException("dead-letter queue full or closed", e));
    }
  }

  /** Flushes and closes within {@code timeout}; safe when never started. */
  void close(Duration timeout) {
    if (executor != null) {
      executor.shutdown();
      try {
        executor.awaitTermination(Math.max(1, timeout.toMillis() / 2), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(timeout.dividedBy(2));
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
