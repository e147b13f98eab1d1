package io.tiercel.testing.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one real Kafka broker for the annotated test class (before all its tests) and closes it
 * after them. The broker is injected into every parameter of type {@link KafkaBroker} (constructor,
 * lifecycle and test methods) and into every non-final field (static or not) of type {@link
 * KafkaBroker}. Nested classes share the broker of their enclosing class.
 *
 * <p>Carries {@code @Tag("integration")}: name such classes {@code *IT} so that Failsafe runs them.
 *
 * <pre>{@code
 * @KafkaBrokerTest
 * class ExporterIT {
 *   static KafkaBroker broker;
 *
 *   @Test
 *   void sends() { broker.createTopic("otlp_spans", 3); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("integration")
@ExtendWith(KafkaBrokerExtension.class)
public @interface KafkaBrokerTest {
  /** Runs the broker in its own JVM, so tests can {@link KafkaBroker#kill()} and restart it. */
  boolean childJvm() default false;

  /**
   * Extra broker properties as {@code key=value}, e.g. {@code "auto.create.topics.enable=false"}.
   */
  String[] brokerProperties() default {};

  /**
   * SASL users as {@code name:password}; any adds the SASL_PLAINTEXT listener (PLAIN,
   * SCRAM-SHA-256, SCRAM-SHA-512).
   */
  String[] saslUsers() default {};

  /** Adds an SSL listener with a self-signed certificate. */
  boolean ssl() default false;
}
