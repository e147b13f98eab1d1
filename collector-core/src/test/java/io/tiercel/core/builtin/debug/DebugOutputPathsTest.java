package io.tiercel.core.builtin.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.debug.DebugExporterConfig.Verbosity;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code use_internal_logger: false} writes each printed request to {@code output_paths} (standard
 * output by default, or standard error) instead of the component's logger, as the collector's debug
 * exporter does.
 */
class DebugOutputPathsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  @BeforeEach
  void capture() {
    stdout = System.out;
    stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(stdout);
    System.setErr(stderr);
  }

  private static Exporter<Traces> traces(CapturingLogger log, DebugExporterConfig config) {
    Settings s = Settings.forTest(Kind.EXPORTER, ComponentId.of("debug"), Signal.TRACES);
    Settings settings =
        new Settings(
            s.id(),
            s.kind(),
            s.signal(),
            log.logger,
            s.metrics(),
            s.clock(),
            s.build(),
            s.shared());
    return new DebugExporterFactory().createTraces(settings, config);
  }

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutTheInternalLoggerARequestGoesToStandardOutputByDefault() {
    CapturingLogger log = new CapturingLogger();
    traces(log, new DebugExporterConfig(Verbosity.BASIC, 2, 1, false, null))
        .consume(Context.EMPTY, DebugExporterTest.twoSpans())
        .join();
    assertThat(text(out)).startsWith("Traces").contains("spans: 2").endsWith("\n");
    assertThat(text(err)).isEmpty();
    assertThat(log.infos).isEmpty();
  }

  @Test
  void outputPathsChooseTheStreams() {
    CapturingLogger log = new CapturingLogger();
    traces(log, new DebugExporterConfig(Verbosity.BASIC, 2, 1, false, List.of("stderr", "stdout")))
        .consume(Context.EMPTY, DebugExporterTest.twoSpans())
        .join();
    assertThat(text(err)).isEqualTo(text(out)).contains("spans: 2");
    assertThat(log.infos).isEmpty();
  }

  @Test
  void theInternalLoggerIsTheDefault() {
    CapturingLogger log = new CapturingLogger();
    traces(log, DebugExporterConfig.DEFAULT)
        .consume(Context.EMPTY, DebugExporterTest.twoSpans())
        .join();
    assertThat(text(out)).isEmpty();
    assertThat(log.infos).hasSize(1);
    assertThat(DebugExporterConfig.DEFAULT.useInternalLogger()).isTrue();
  }
}
