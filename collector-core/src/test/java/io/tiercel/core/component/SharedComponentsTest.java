package io.tiercel.core.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedComponentsTest {
  private record Key(ComponentId id, int config) {}

  @Test
  void oneEntryPerKeyCreatedOnceAndNothingSharedBetweenInstances() {
    AtomicInteger made = new AtomicInteger();
    SharedComponents service = SharedComponents.create();
    StringBuilder a =
        service.computeIfAbsent(
            new Key(ComponentId.of("memory_limiter"), 1),
            StringBuilder.class,
            () -> {
              made.incrementAndGet();
              return new StringBuilder("a");
            });
    StringBuilder again =
        service.computeIfAbsent(
            new Key(ComponentId.of("memory_limiter"), 1), StringBuilder.class, StringBuilder::new);
    StringBuilder otherConfig =
        service.computeIfAbsent(
            new Key(ComponentId.of("memory_limiter"), 2), StringBuilder.class, StringBuilder::new);
    StringBuilder otherService =
        SharedComponents.create()
            .computeIfAbsent(
                new Key(ComponentId.of("memory_limiter"), 1),
                StringBuilder.class,
                StringBuilder::new);
    assertThat(again).isSameAs(a);
    assertThat(made).hasValue(1);
    assertThat(otherConfig).isNotSameAs(a);
    assertThat(otherService).isNotSameAs(a);
  }

  @Test
  void anEntryOfAnotherTypeUnderTheKeyIsAnError() {
    SharedComponents service = SharedComponents.create();
    service.computeIfAbsent("k", StringBuilder.class, StringBuilder::new);
    assertThatThrownBy(() -> service.computeIfAbsent("k", Integer.class, () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("shared entry k is a java.lang.StringBuilder, not a java.lang.Integer");
  }
}
