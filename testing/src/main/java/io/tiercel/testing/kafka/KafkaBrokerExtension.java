package io.tiercel.testing.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KafkaBrokerTest}: one {@link KafkaBroker} per test class,
 * started in {@code beforeAll}, closed in {@code afterAll}, injected into parameters and (static or
 * instance) non-final fields of type {@link KafkaBroker}. Can also be registered with
 * {@code @ExtendWith} (then the broker is in-process).
 */
public final class KafkaBrokerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestInstancePostProcessor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  private static final String KEY = "broker";

  /** Creates the extension (JUnit instantiates it). */
  public KafkaBrokerExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    // a nested class finds its enclosing class's broker through the store's parent chain
    Owned existing = store.get(KEY, Owned.class);
    KafkaBroker broker = existing == null ? null : existing.broker();
    if (broker == null) {
      broker = builderFor(context.getRequiredTestClass()).start();
      store.put(KEY, new Owned(broker, context.getUniqueId()));
    }
    injectFields(context.getRequiredTestClass(), null, broker);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Object owned = context.getStore(NAMESPACE).get(KEY);
    // only the class that started the broker closes it (the store lookup may find a parent's)
    if (owned instanceof Owned o && o.ownerId().equals(context.getUniqueId())) {
      context.getStore(NAMESPACE).remove(KEY);
      o.broker().close();
    }
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
    Object owned = context.getStore(NAMESPACE).get(KEY);
    if (owned instanceof Owned o) {
      injectFields(testInstance.getClass(), testInstance, o.broker());
    }
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Object owned = extensionContext.getStore(NAMESPACE).get(KEY);
    if (!(owned instanceof Owned o)) {
      throw new ExtensionConfigurationException(
          "no Kafka broker: annotate the test class with @KafkaBrokerTest");
    }
    return o.broker();
  }

  static KafkaBrokerBuilder builderFor(Class<?> testClass) {
    KafkaBrokerBuilder b = KafkaBroker.builder();
    Optional<KafkaBrokerTest> ann =
        AnnotationSupport.findAnnotation(testClass, KafkaBrokerTest.class);
    if (ann.isEmpty()) {
      return b;
    }
    KafkaBrokerTest a = ann.get();
    b.childJvm(a.childJvm());
    for (String kv : a.brokerProperties()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new ExtensionConfigurationException(
            "brokerProperties entry \"" + kv + "\" is not key=value");
      }
      b.brokerProperty(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
    }
    for (String up : a.saslUsers()) {
      int colon = up.indexOf(':');
      if (colon <= 0) {
        throw new ExtensionConfigurationException(
            "saslUsers entry \"" + up + "\" is not name:password");
      }
      b.saslUser(up.substring(0, colon), up.substring(colon + 1));
    }
    if (a.ssl()) {
      b.ssl();
    }
    return b;
  }

  /** Static fields when {@code instance} is null, instance fields otherwise; never final ones. */
  private static void injectFields(Class<?> testClass, Object instance, KafkaBroker broker) {
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == KafkaBroker.class
            && Modifier.isStatic(f.getModifiers()) == (instance == null)
            && !Modifier.isFinal(f.getModifiers())) {
          try {
            f.setAccessible(true);
            f.set(instance, broker);
          } catch (IllegalAccessException | RuntimeException e) {
            throw new ExtensionConfigurationException(
                "cannot inject the Kafka broker into " + f, e);
          }
        }
      }
    }
  }

  /** The broker and the unique id of the class context that started it (and so closes it). */
  private record Owned(KafkaBroker broker, String ownerId) {}
}
