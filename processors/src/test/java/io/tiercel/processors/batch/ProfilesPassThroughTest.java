package io.tiercel.processors.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.testing.TestProfiles;
import io.tiercel.testing.consumer.RecordingSink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProfilesPassThroughTest {
  @Test
  void profilesPassWholeAndCompleteWithDownstream() throws Exception {
    BatchProcessorFactory f = new BatchProcessorFactory();
    assertThat(f.signals()).containsEntry(Signal.PROFILES, Stability.DEVELOPMENT);
    RecordingSink<Profiles> sink = RecordingSink.holding();
    Processor<Profiles> p =
        f.createProfiles(
            Settings.forTest(Kind.PROCESSOR, ComponentId.of("batch"), Signal.PROFILES),
            BatchConfig.DEFAULT,
            sink);
    p.start(null);
    Profiles a = Profiles.ofBytes(TestProfiles.profilesData(2, 3, 1).toByteArray());
    Profiles b = Profiles.ofBytes(TestProfiles.profilesData(1, 5, 2).toByteArray());
    CompletableFuture<Void> fa = p.consume(Context.EMPTY, a);
    CompletableFuture<Void> fb = p.consume(Context.EMPTY, b);
    // not joined: each request reaches the next consumer as it came, at once
    assertThat(sink.data()).containsExactly(a, b);
    assertThat(sink.data().get(0)).isSameAs(a);
    assertThat(sink.itemCount()).isEqualTo(11);
    assertThat(fa).isNotDone();
    sink.calls().get(0).future().complete(null);
    assertThat(fa).isCompleted();
    sink.calls().get(1).future().completeExceptionally(new IllegalStateException("down"));
    assertThat(fb).isCompletedExceptionally();
    p.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }
}
