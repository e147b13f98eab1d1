package io.tiercel.processors.ottl.func;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {
  private static final FunctionBuilder ANSWER = (a, cols, col) -> c -> 42L;

  @Test
  void standardRegistryCannotBeMutated() {
    FunctionRegistry standard = FunctionRegistry.standard();
    assertThat(standard.editorNames())
        .hasSize(18)
        .contains("set", "convert_gauge_to_sum", "delete_index");
    assertThat(standard.converterNames())
        .hasSize(108)
        .contains("SHA256", "Year", "Weekday", "XXH128", "Filter", "When");

    assertThatThrownBy(() -> standard.editorNames().add("drop"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> standard.converterNames().remove("SHA256"))
        .isInstanceOf(UnsupportedOperationException.class);
    FunctionRegistry extended = standard.toBuilder().converter("Answer", ANSWER).build();

    assertThat(extended.converter("Answer")).isNotNull();
    assertThat(standard.converter("Answer")).isNull();
    assertThat(FunctionRegistry.standard()).isSameAs(standard);
    assertThat(FunctionRegistry.standard().converterNames()).hasSize(108);
  }

  @Test
  void twoRegistriesAreIndependent() {
    FunctionRegistry.Builder builder = FunctionRegistry.builder().converter("Answer", ANSWER);
    FunctionRegistry first = builder.build();
    FunctionRegistry second = FunctionRegistry.builder().build();
    builder.converter("Question", ANSWER);

    assertThat(first.converterNames()).containsExactly("Answer");
    assertThat(second.converterNames()).isEmpty();
    assertThat(builder.build().converterNames()).containsExactly("Answer", "Question");

    Condition c = new Ottl(first).condition("Answer() == 42", OttlContext.SPAN, Signal.TRACES);
    assertThat(c.test(new CurrentItem(Clock.systemUTC()))).isTrue();
    assertThatThrownBy(
            () -> new Ottl(second).condition("Answer() == 42", OttlContext.SPAN, Signal.TRACES))
        .isInstanceOf(OttlException.class)
        .hasMessage(
            "invalid OTTL condition \"Answer() == 42\" at column 1: unknown function \"Answer\":"
                + " expected one of ");
  }

  @Test
  void aNameIsRegisteredOnceAndItsCaseSaysWhatItIs() {
    FunctionRegistry.Builder builder = FunctionRegistry.builder().converter("Answer", ANSWER);

    assertThatThrownBy(() -> builder.converter("Answer", ANSWER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OTTL function Answer is registered twice");
    assertThatThrownBy(() -> builder.editor("Answer", ANSWER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("editor names start lower-case: Answer");
    assertThatThrownBy(() -> builder.converter("answer", ANSWER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("converter names start upper-case: answer");
  }
}
