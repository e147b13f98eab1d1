package io.tiercel.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ContextAndErrorsTest {
  @Test
  void metadataKeysAreCaseInsensitive() {
    Context c = Context.of(Map.of("X-Tenant", List.of("acme"), "x-tenant", List.of("other")));
    assertThat(c.get("x-TENANT")).containsExactlyInAnyOrder("acme", "other");
    assertThat(c.first("missing")).isEmpty();
    assertThat(Context.of(Map.of())).isSameAs(Context.EMPTY);
    Context d = c.with("X-Tenant", List.of("b"));
    assertThat(d.get("x-tenant")).containsExactly("b");
    assertThat(c.get("x-tenant")).hasSize(2);
  }

  @Test
  void classifyUnwrapsAndDefaultsToRetryable() {
    PermanentException perm = new PermanentException("bad");
    assertThat(PipelineException.classify(new CompletionException(perm))).isSameAs(perm);
    assertThat(PipelineException.classify(new ExecutionException(new CompletionException(perm))))
        .isSameAs(perm);
    PipelineException other =
        PipelineException.classify(new CompletionException(new IOException("reset")));
    assertThat(other.isRetryable()).isTrue();
    assertThat(other).hasMessage("reset").hasCauseInstanceOf(IOException.class);
    RetryableException throttled = new RetryableException("slow down", null, Duration.ofSeconds(3));
    assertThat(throttled.throttle()).contains(Duration.ofSeconds(3));
    assertThat(new RetryableException("x").throttle()).isEmpty();
  }
}
