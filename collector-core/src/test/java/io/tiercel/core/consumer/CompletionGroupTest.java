package io.tiercel.core.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CompletionGroupTest {
  private static Traces spans(String prefix, int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName(prefix + i));
    }
    return Traces.ofBytes(
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss))
            .build()
            .toByteArray());
  }

  private static Throwable failure(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private static OtlpData carried(Throwable t) {
    return ((PipelineException) t).failed().orElseThrow();
  }

  @Test
  void completesOnlyAfterCloseAndEveryPart() {
    CompletionGroup g = CompletionGroup.pieces(3);
    g.expect();
    g.expect();
    g.done(null);
    g.done(null);
    assertThat(g.future()).isNotDone(); // the group's own token: more parts may follow
    g.close();
    assertThat(g.future()).isCompleted();
  }

  @Test
  void withFailedKeepsMessageCauseThrottleAndSuppressed() {
    IllegalStateException cause = new IllegalStateException("broker");
    RetryableException r = new RetryableException("2 of 5 failed", cause, Duration.ofSeconds(3));
    r.addSuppressed(new PermanentException("one too large"));
    Traces part = spans("p", 2);
    RetryableException withPart = r.withFailed(part);
    assertThat(withPart.getMessage()).isEqualTo("2 of 5 failed");
    assertThat(withPart.getCause()).isSameAs(cause);
    assertThat(withPart.throttle()).contains(Duration.ofSeconds(3));
    assertThat(withPart.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("one too large");
    assertThat(withPart.failed()).containsSame(part);
    assertThat(r.failed()).isEmpty();
    assertThat(withPart.withFailed(null).failed()).isEmpty();
    PermanentException p = new PermanentException("refused", null, part);
    assertThat(p.failed()).containsSame(part);
    assertThat(p.withFailed(null)).hasMessage("refused").isInstanceOf(PermanentException.class);
  }

  @Test
  void malformedDataIsClassifiedPermanentWithItsMessage() {
    MalformedDataException m =
        new MalformedDataException("malformed OTLP traces protobuf: x", null);
    PipelineException pe = PipelineException.classify(new CompletionException(m));
    assertThat(pe).isInstanceOf(PermanentException.class).hasMessage(m.getMessage());
    assertThat(pe.getCause()).isSameAs(m);
  }

  @Test
  void sameDataPassesOneFailureOnAsItIsWithItsPart() {
    CompletionGroup g = CompletionGroup.sameData();
    g.expect();
    g.expect();
    RetryableException partial =
        new RetryableException("3 records failed", null, null, spans("f", 3));
    g.done(null);
    g.done(partial);
    g.close();
    assertThat(failure(g.future())).isSameAs(partial);
  }

  @Test
  void sameDataWithSeveralFailuresFailsTheWholeRequest() {
    CompletionGroup g = CompletionGroup.sameData();
    g.expect();
    g.expect();
    g.done(new RetryableException("a", null, null, spans("a", 1)));
    g.done(new RetryableException("b", null, Duration.ofSeconds(1), spans("b", 2)));
    g.close();
    Throwable t = failure(g.future());
    assertThat(t)
        .isInstanceOf(RetryableException.class)
        .hasMessage("2 of 2 consumers failed: a; b");
    assertThat(((PipelineException) t).failed()).isEmpty();
    assertThat(((RetryableException) t).throttle()).contains(Duration.ofSeconds(1));
  }

  @Test
  void piecesCarryTheJoinOfTheFailedPieces() {
    Traces a = spans("a", 2);
    Traces b = spans("b", 3);
    Traces c = spans("c", 4);
    CompletionGroup g = CompletionGroup.pieces(9);
    g.expect();
    g.expect();
    g.expect();
    g.done(new RetryableException("batch 1 down"), a); // all of piece a failed
    g.done(null, b);
    Traces someOfC = spans("c", 1);
    g.done(new RetryableException("1 of 4", null, null, someOfC), c); // part of piece c failed
    g.close();
    Throwable t = failure(g.future());
    assertThat(t).isInstanceOf(RetryableException.class).hasMessage("batch 1 down");
    assertThat(carried(t).itemCount()).isEqualTo(3);
    assertThat(carried(t).bytes()).startsWith(a.bytes()).endsWith(someOfC.bytes());
  }

  @Test
  void piecesThatAllFailedOrAreUnknownCarryNothing() {
    Traces a = spans("a", 2);
    CompletionGroup all = CompletionGroup.pieces(2);
    all.expect();
    PermanentException whole = new PermanentException("refused");
    all.done(whole, a);
    all.close();
    assertThat(failure(all.future())).isSameAs(whole);

    CompletionGroup unknown = CompletionGroup.pieces(5);
    unknown.expect();
    unknown.expect();
    unknown.done(null, a);
    unknown.done(new RetryableException("joined send failed", null, null, spans("x", 1)));
    unknown.close();
    Throwable t = failure(unknown.future());
    assertThat(t).hasMessage("joined send failed");
    assertThat(((PipelineException) t).failed()).isEmpty();
  }

  @Test
  void firstFailureWinsAndIsPassedOnRawWithoutAPart() {
    CompletionGroup g = CompletionGroup.pieces(4);
    g.expect();
    g.expect();
    IllegalStateException first = new IllegalStateException("boom");
    g.done(first);
    g.done(new PermanentException("later"));
    g.close();
    assertThat(failure(g.future())).isSameAs(first);
  }

  @Test
  void abandonFailsAtOnce() {
    CompletionGroup g = CompletionGroup.pieces(1);
    g.expect();
    g.abandon(new RetryableException("shut down"));
    assertThat(failure(g.future())).hasMessage("shut down");
  }
}
