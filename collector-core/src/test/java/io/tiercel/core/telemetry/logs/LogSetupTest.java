package io.tiercel.core.telemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * service.telemetry.logs level and encoding applied to log4j2's root logger (the shipped
 * log4j2.xml).
 */
class LogSetupTest {
  private static Appender rootConsole() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    return ctx.getConfiguration().getRootLogger().getAppenders().values().stream()
        .filter(a -> a instanceof ConsoleAppender)
        .findFirst()
        .orElseThrow();
  }

  @AfterEach
  void restore() {
    LogSetup.apply("info", "console");
  }

  @Test
  void levelFollowsLogsLevel() {
    LogSetup.apply("debug", "console");
    assertThat(LogManager.getRootLogger().getLevel()).isEqualTo(Level.DEBUG);
    LogSetup.apply("warn", null);
    assertThat(LogManager.getRootLogger().getLevel()).isEqualTo(Level.WARN);
    assertThat(LogManager.getLogger("io.tiercel.exporter.debug").isInfoEnabled()).isFalse();
    LogSetup.apply(null, null);
    assertThat(LogManager.getRootLogger().getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void jsonSwapsTheStderrAppendersLayoutAndConsoleSwapsItBack() {
    assertThat(rootConsole().getName()).isEqualTo("stderr");
    assertThat(rootConsole().getLayout()).isInstanceOf(PatternLayout.class);
    LogSetup.apply("info", "json");
    Appender json = rootConsole();
    assertThat(json.getName()).isEqualTo("stderr-json");
    assertThat(json.getLayout()).isInstanceOf(JsonLogLayout.class);
    assertThat(((ConsoleAppender) json).getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_ERR);
    assertThat(json.isStarted()).isTrue();
    LogSetup.apply("info", "json"); // idempotent: still one console appender, the same one
    assertThat(
            ((LoggerContext) LogManager.getContext(false))
                .getConfiguration()
                .getRootLogger()
                .getAppenders()
                .values())
        .filteredOn(a -> a instanceof ConsoleAppender)
        .containsExactly(json);
    LogSetup.apply("info", "console");
    assertThat(rootConsole().getName()).isEqualTo("stderr");
    assertThat(rootConsole().getLayout()).isInstanceOf(PatternLayout.class);
    LogSetup.apply("info", "json");
    assertThat(rootConsole()).isSameAs(json);
  }
}
