package io.tiercel.core.featuregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureGatesTest {
  private static final Gate ALPHA = new Gate("a.alpha", Stage.ALPHA, "new", "https://x/1");
  private static final Gate BETA = new Gate("b.beta", Stage.BETA, "settling", "https://x/2");
  private static final Gate STABLE = new Gate("c.stable", Stage.STABLE, "done", "https://x/3");
  private static final Gate GONE = new Gate("d.gone", Stage.DEPRECATED, "going", "https://x/4");
  private static final FeatureGates ALL = FeatureGates.of(List.of(GONE, STABLE, BETA, ALPHA));

  @Test
  void eachStageHasTheCollectorsDefault() {
    assertThat(ALL.isEnabled(ALPHA)).isFalse();
    assertThat(ALL.isEnabled(BETA)).isTrue();
    assertThat(ALL.isEnabled(STABLE)).isTrue();
    assertThat(ALL.isEnabled(GONE)).isFalse();
    assertThat(FeatureGates.defaults().isEnabled(ALPHA)).isFalse();
    assertThat(FeatureGates.defaults().isEnabled(BETA)).isTrue();
    assertThat(ALL.gates())
        .extracting(Gate::id)
        .containsExactly("a.alpha", "b.beta", "c.stable", "d.gone");
  }

  @Test
  void bareAndPlusEnableMinusDisables() {
    FeatureGates g = ALL.apply("a.alpha,-b.beta");
    assertThat(g.isEnabled(ALPHA)).isTrue();
    assertThat(g.isEnabled(BETA)).isFalse();
    assertThat(ALL.isEnabled(ALPHA)).as("the original is unchanged").isFalse();
    FeatureGates h = g.apply(List.of("-a.alpha", "+b.beta"));
    assertThat(h.isEnabled(ALPHA)).isFalse();
    assertThat(h.isEnabled(BETA)).isTrue();
    assertThat(ALL.apply("")).isSameAs(ALL);
  }

  @Test
  void stableMayBeEnabledAndDeprecatedDisabledButNotTheReverse() {
    FeatureGates g = ALL.apply("c.stable,-d.gone,+c.stable");
    assertThat(g.isEnabled(STABLE)).isTrue();
    assertThat(g.isEnabled(GONE)).isFalse();
    assertThatThrownBy(() -> ALL.apply("-c.stable"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feature gate \"c.stable\" is stable, can not be disabled");
    assertThatThrownBy(() -> ALL.apply("d.gone"))
        .hasMessage("feature gate \"d.gone\" is deprecated, can not be enabled");
  }

  @Test
  void unknownAndEmptyIdsAreErrorsListedTogether() {
    assertThatThrownBy(() -> ALL.apply("a.alpha,nope,,-c.stable"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no such feature gate \"nope\". valid gates: [a.alpha b.beta c.stable d.gone];"
                + " empty feature gate identifier at index 2;"
                + " feature gate \"c.stable\" is stable, can not be disabled");
  }

  @Test
  void oneGateMayBeDeclaredTwiceOnlyAlike() {
    assertThat(FeatureGates.of(List.of(ALPHA, ALPHA)).gates()).containsExactly(ALPHA);
    Gate other = new Gate("a.alpha", Stage.BETA, "new", "https://x/1");
    assertThatThrownBy(() -> FeatureGates.of(List.of(ALPHA, other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("feature gate \"a.alpha\" is declared twice, differently");
  }

  @Test
  void idsAreLettersDigitsAndDots() {
    assertThatThrownBy(() -> new Gate("a-b", Stage.ALPHA, "", ""))
        .hasMessage("invalid feature gate id \"a-b\": only letters, digits and dots");
    assertThatThrownBy(() -> new Gate("", Stage.ALPHA, "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
