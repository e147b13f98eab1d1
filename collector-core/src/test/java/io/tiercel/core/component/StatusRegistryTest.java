package io.tiercel.core.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.StatusRegistry.Status;
import org.junit.jupiter.api.Test;

class StatusRegistryTest {
  @Test
  void reportIfOnlyReplacesTheExpectedStatus() {
    StatusRegistry r = new StatusRegistry();
    assertThat(r.reportIf("receiver/a", Status.STARTING, Status.OK, null))
        .isFalse(); // unknown component
    assertThat(r.snapshot()).isEmpty();
    r.report("receiver/a", Status.STARTING, null);
    r.report("receiver/b", Status.STARTING, null);
    r.report("receiver/b", Status.RECOVERABLE_ERROR, new RuntimeException("broker down"));
    assertThat(r.reportIf("receiver/a", Status.STARTING, Status.OK, null)).isTrue();
    assertThat(r.reportIf("receiver/b", Status.STARTING, Status.OK, null)).isFalse();
    assertThat(r.snapshot().get("receiver/a").status()).isEqualTo(Status.OK);
    assertThat(r.snapshot().get("receiver/b").status()).isEqualTo(Status.RECOVERABLE_ERROR);
    assertThat(r.snapshot().get("receiver/b").error()).isEqualTo("broker down");
    assertThat(r.allUp()).isFalse();
  }
}
