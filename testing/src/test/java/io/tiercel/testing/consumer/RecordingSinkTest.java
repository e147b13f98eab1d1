package io.tiercel.testing.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RecordingSinkTest {
  @Test
  void recordsEveryCallWithItsContextAndCountsItems() {
    RecordingSink<Traces> sink = RecordingSink.create();
    Context tenant = Context.of(java.util.Map.of("X-Tenant", List.of("acme")));
    Traces a = TestData.traces(2, 3, 1);
    Traces b = TestData.traces(1, 4, 2);

    assertThat(sink.consume(tenant, a)).isCompleted();
    assertThat(sink.consume(Context.EMPTY, b)).isCompleted();

    assertThat(sink.callCount()).isEqualTo(2);
    assertThat(sink.itemCount()).isEqualTo(10);
    assertThat(sink.data()).containsExactly(a, b);
    assertThat(sink.data().get(0)).isSameAs(a);
    assertThat(sink.contexts()).containsExactly(tenant, Context.EMPTY);
    assertThat(sink.contexts().get(0).first("x-tenant")).contains("acme");
    assertThat(sink.pendingCount()).isZero();

    sink.reset();
    assertThat(sink.callCount()).isZero();
    assertThat(sink.itemCount()).isZero();
  }

  @Test
  void holdModeKeepsFuturesPendingUntilTheTestCompletesOrFailsThem() {
    RecordingSink<Logs> sink = RecordingSink.holding();
    CompletableFuture<Void> f1 = sink.consume(Context.EMPTY, TestData.logs(5, 1));
    CompletableFuture<Void> f2 = sink.consume(Context.EMPTY, TestData.logs(3, 2));
    assertThat(f1).isNotDone();
    assertThat(f2).isNotDone();
    assertThat(sink.pendingCount()).isEqualTo(2);
    assertThat(sink.itemCount()).isEqualTo(8);

    sink.calls().get(0).future().complete(null);
    assertThat(f1).isCompleted();
    assertThat(sink.pendingCount()).isEqualTo(1);

    RetryableException boom = new RetryableException("backend down");
    assertThat(sink.failAll(boom)).isEqualTo(1);
    assertThatThrownBy(f2::join).isInstanceOf(CompletionException.class).hasCause(boom);
    assertThat(sink.completeAll()).isZero();

    sink.hold(false);
    assertThat(sink.consume(Context.EMPTY, TestData.logs(1, 3))).isCompleted();

    sink.hold(true);
    CompletableFuture<Void> f4 = sink.consume(Context.EMPTY, TestData.logs(1, 4));
    assertThat(sink.completeAll()).isEqualTo(1);
    assertThat(f4).isCompleted();
  }

  @Test
  void awaitItemsReturnsOnceEnoughArrivedFromAnotherThread() throws Exception {
    RecordingSink<Traces> sink = RecordingSink.create();
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; i < 5; i++) {
                sink.consume(Context.EMPTY, TestData.traces(1, 2, i));
              }
            });
    producer.start();
    sink.awaitItems(10, Duration.ofSeconds(10)).awaitCalls(5, Duration.ofSeconds(10));
    producer.join();
    assertThat(sink.itemCount()).isEqualTo(10);
  }

  @Test
  void awaitFailsNamingWhatArrived() {
    RecordingSink<Traces> sink = RecordingSink.create();
    sink.consume(Context.EMPTY, TestData.traces(1, 3, 1));
    assertThatThrownBy(() -> sink.awaitItems(4, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("expected 4 items but 3 arrived in 1 calls within 50 ms");
    assertThatThrownBy(() -> sink.awaitCalls(2, Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("expected 2 calls but 1 arrived within 20 ms");
  }

  @Test
  void malformedDataIsRecordedAndRefusedPermanently() {
    RecordingSink<Traces> sink = RecordingSink.holding();
    CompletableFuture<Void> f =
        sink.consume(Context.EMPTY, Traces.ofBytes(new byte[] {0x0a, 0x05, 0x01}));
    assertThat(sink.callCount()).isEqualTo(1);
    assertThat(sink.itemCount()).isZero();
    assertThatThrownBy(f::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(io.tiercel.core.consumer.PermanentException.class)
        .hasMessageStartingWith("malformed OTLP traces protobuf: ");
  }

  @Test
  void mutatesDataIsConfigurable() {
    RecordingSink<Traces> sink = RecordingSink.create();
    assertThat(sink.mutatesData()).isFalse();
    assertThat(sink.mutatesData(true).mutatesData()).isTrue();
  }
}
