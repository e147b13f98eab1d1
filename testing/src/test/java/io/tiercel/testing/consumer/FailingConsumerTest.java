package io.tiercel.testing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailingConsumerTest {
  private static final Traces DATA = TestData.traces(1, 1, 1);

  @Test
  void retryableFailsEveryCallWithTheThrottle() {
    FailingConsumer<Traces> c = FailingConsumer.retryable("queue full", Duration.ofSeconds(3));
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Void> f = c.consume(Context.EMPTY, DATA);
      assertThat(f).isCompletedExceptionally();
      PipelineException e = PipelineException.classify(catchJoin(f));
      assertThat(e).isInstanceOf(RetryableException.class).hasMessage("queue full");
      assertThat(((RetryableException) e).throttle()).contains(Duration.ofSeconds(3));
    }
    assertThat(c.callCount()).isEqualTo(3);
    assertThat(c.failedCount()).isEqualTo(3);
  }

  @Test
  void permanentFailsWithAPermanentException() {
    FailingConsumer<Traces> c = FailingConsumer.permanent("bad data");
    assertThatThrownBy(() -> c.consume(Context.EMPTY, DATA).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("bad data");
    assertThat(c.error().isRetryable()).isFalse();
  }

  @Test
  void firstCallsFailThenTheDelegateTakesOver() {
    RecordingSink<Traces> sink = RecordingSink.create();
    FailingConsumer<Traces> c =
        FailingConsumer.firstCalls(2, new RetryableException("warming up"), sink);
    assertThat(c.consume(Context.EMPTY, DATA)).isCompletedExceptionally();
    assertThat(c.consume(Context.EMPTY, DATA)).isCompletedExceptionally();
    assertThat(c.consume(Context.EMPTY, DATA)).isCompleted();
    assertThat(c.consume(Context.EMPTY, DATA)).isCompleted();
    assertThat(c.failedCount()).isEqualTo(2);
    assertThat(c.callCount()).isEqualTo(4);
    assertThat(sink.callCount()).isEqualTo(2);

    FailingConsumer<Traces> thenOk = FailingConsumer.firstCalls(1, new PermanentException("once"));
    assertThat(thenOk.consume(Context.EMPTY, DATA)).isCompletedExceptionally();
    assertThat(thenOk.consume(Context.EMPTY, DATA)).isCompleted();
    assertThatThrownBy(() -> FailingConsumer.firstCalls(-1, new PermanentException("x")))
        .hasMessage("n must not be negative: -1");
  }

  private static Throwable catchJoin(CompletableFuture<Void> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e;
    }
  }
}
