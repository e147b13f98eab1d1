package io.tiercel.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FanOutTest {
  /** A branch that records what it got and answers with a future the test completes. */
  static final class Branch implements TelemetryConsumer<Traces> {
    final boolean mutates;
    final List<Traces> got = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> answer = new CompletableFuture<>();

    Branch(boolean mutates) {
      this.mutates = mutates;
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, Traces data) {
      got.add(data);
      return answer;
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  private static PipelineException failure(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    return PipelineException.classify(f.handle((v, e) -> e).join());
  }

  @Test
  void completesOnlyWhenEveryBranchCompleted() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    CompletableFuture<Void> f = FanOut.of(List.of(a, b)).consume(Context.EMPTY, TestData.spans(2));
    assertThat(f).isNotDone();
    a.answer.complete(null);
    assertThat(f).isNotDone();
    b.answer.complete(null);
    assertThat(f).isCompleted().isNotCompletedExceptionally();
  }

  @Test
  void oneFailingBranchFailsUpstreamWithItsOwnException() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    CompletableFuture<Void> f = FanOut.of(List.of(a, b)).consume(Context.EMPTY, TestData.spans(1));
    RetryableException boom = new RetryableException("backend down");
    a.answer.completeExceptionally(boom);
    assertThat(f).isNotDone(); // still waits for b
    b.answer.complete(null);
    assertThat(failure(f)).isSameAs(boom);
  }

  @Test
  void anyPermanentFailureMakesTheResultPermanent() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    Branch c = new Branch(false);
    CompletableFuture<Void> f =
        FanOut.of(List.of(a, b, c)).consume(Context.EMPTY, TestData.spans(1));
    a.answer.completeExceptionally(new RetryableException("queue full"));
    b.answer.completeExceptionally(new PermanentException("bad span"));
    c.answer.complete(null);
    PipelineException e = failure(f);
    assertThat(e)
        .isInstanceOf(PermanentException.class)
        .hasMessage("2 of 3 consumers failed: queue full; bad span");
    assertThat(e.getCause()).hasMessage("bad span");
    assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("queue full");
  }

  @Test
  void retryableFailuresStayRetryableWithTheLongestThrottle() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    CompletableFuture<Void> f = FanOut.of(List.of(a, b)).consume(Context.EMPTY, TestData.spans(1));
    a.answer.completeExceptionally(
        new RetryableException("slow down", null, Duration.ofSeconds(2)));
    b.answer.completeExceptionally(new IllegalStateException("unclassified"));
    PipelineException e = failure(f);
    assertThat(e)
        .isInstanceOf(RetryableException.class)
        .hasMessage("2 of 2 consumers failed: slow down; unclassified");
    assertThat(((RetryableException) e).throttle()).contains(Duration.ofSeconds(2));
  }

  @Test
  void aBranchThatThrowsFailsTheResultButTheOthersStillGetTheData() {
    Branch b = new Branch(false);
    TelemetryConsumer<Traces> thrower =
        (ctx, d) -> {
          throw new PermanentException("cannot take it");
        };
    CompletableFuture<Void> f =
        FanOut.of(List.of(thrower, b)).consume(Context.EMPTY, TestData.spans(1));
    b.answer.complete(null);
    assertThat(b.got).hasSize(1);
    assertThat(failure(f)).isInstanceOf(PermanentException.class).hasMessage("cannot take it");
  }

  @Test
  void copiesOnlyForMutatingBranches() {
    Branch ro1 = new Branch(false);
    Branch ro2 = new Branch(false);
    Branch mut = new Branch(true);
    Traces data = TestData.spans(3);
    FanOut.of(List.of(ro1, mut, ro2)).consume(Context.EMPTY, data);
    assertThat(ro1.got.get(0)).isSameAs(data);
    assertThat(ro2.got.get(0)).isSameAs(data);
    Traces copy = mut.got.get(0);
    assertThat(copy).isNotSameAs(data).isEqualTo(data);
    assertThat(copy.bytes()).isNotSameAs(data.bytes()).isEqualTo(data.bytes());
  }

  @Test
  void copyOfParsedDataRewrapsTheImmutableMessage() {
    Traces parsed = Traces.of(TestData.spans(2).message());
    Traces copy = Copies.copy(parsed);
    assertThat(copy).isNotSameAs(parsed);
    assertThat(copy.hasBytes()).isFalse();
    assertThat(copy.message()).isSameAs(parsed.message());
  }

  @Test
  void aSingleBranchIsNotWrapped() {
    Branch only = new Branch(true);
    assertThat(FanOut.of(List.of(only))).isSameAs(only);
  }

  @Test
  void thePartThatFailedOnTheOnlyFailingBranchReachesTheCaller() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    CompletableFuture<Void> f = FanOut.of(List.of(a, b)).consume(Context.EMPTY, TestData.spans(4));
    Traces part = TestData.spans(1);
    a.answer.complete(null);
    b.answer.completeExceptionally(new RetryableException("1 of 4 failed", null, null, part));
    assertThat(failure(f).failed()).containsSame(part);
  }

  @Test
  void partialFailuresOnTwoBranchesFailTheWholeRequest() {
    Branch a = new Branch(false);
    Branch b = new Branch(false);
    CompletableFuture<Void> f = FanOut.of(List.of(a, b)).consume(Context.EMPTY, TestData.spans(4));
    a.answer.completeExceptionally(
        new RetryableException("1 of 4 failed", null, null, TestData.spans(1)));
    b.answer.completeExceptionally(
        new RetryableException("2 of 4 failed", null, null, TestData.spans(2)));
    PipelineException e = failure(f);
    assertThat(e).hasMessage("2 of 2 consumers failed: 1 of 4 failed; 2 of 4 failed");
    assertThat(e.failed()).isEmpty();
  }
}
