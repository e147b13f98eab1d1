package io.tiercel.processors.ottl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class ErrorsTest {
  /** A logger that records warn() calls as text. */
  static Logger recording(List<String> warnings) {
    return (Logger)
        Proxy.newProxyInstance(
            Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class},
            (proxy, m, args) -> {
              if (m.getName().equals("warn")) {
                StringBuilder sb = new StringBuilder(String.valueOf(args[0]));
                for (int i = 1; i < args.length; i++) {
                  Object a = args[i];
                  if (a instanceof Object[] arr) {
                    for (Object x : arr) {
                      sb.append(" | ").append(x);
                    }
                  } else {
                    sb.append(" | ").append(a);
                  }
                }
                warnings.add(sb.toString());
              }
              return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
  }

  @Test
  void ignoreLogsOneLineForABurstAndCountsEveryFailure() {
    List<String> warnings = new ArrayList<>();
    Errors errors = new Errors(recording(warnings), "processor transform");
    for (int i = 0; i < 1000; i++) {
      errors.failed(
          ErrorMode.IGNORE,
          "statement",
          "set(span.name, 1)",
          new OttlRuntimeException("boom " + i));
    }
    assertThat(errors.failures()).isEqualTo(1000);
    assertThat(warnings)
        .containsExactly(
            "processor transform: failed to execute statement set(span.name, 1): boom 0");
  }

  @Test
  void silentNeverLogs() {
    List<String> warnings = new ArrayList<>();
    Errors errors = new Errors(recording(warnings), "p");
    errors.failed(ErrorMode.SILENT, "condition", "c", new OttlRuntimeException("x"));
    assertThat(warnings).isEmpty();
    assertThat(errors.failures()).isEqualTo(1);
  }

  @Test
  void propagateThrowsAPermanentErrorNamingTheStatement() {
    Errors errors = new Errors(recording(new ArrayList<>()), "p");
    assertThatThrownBy(
            () ->
                errors.failed(
                    ErrorMode.PROPAGATE,
                    "condition",
                    "Len(x) > 1",
                    new OttlRuntimeException("Len: unsupported type int64")))
        .isInstanceOf(PermanentException.class)
        .hasMessage("failed to execute condition Len(x) > 1: Len: unsupported type int64");
  }
}
