package io.tiercel.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures what is logged (through log4j2, which slf4j binds to in tests) while it is open, one
 * line per event as {@code LEVEL logger message exception}, for tests where a log line is part of
 * the contract. Close it to detach. Thread-safe (log4j's appender locking).
 */
public final class LogCapture implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final LoggerContext context;
  private final WriterAppender appender;
  private final String name;

  private LogCapture(String name) {
    this.name = name;
    this.context = (LoggerContext) LogManager.getContext(false);
    this.appender =
        WriterAppender.createAppender(
            PatternLayout.newBuilder().withPattern("%level %c %m %ex%n").build(),
            null,
            out,
            name,
            false,
            true);
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  /** Starts capturing every event that reaches the root logger. */
  public static LogCapture start() {
    return new LogCapture("capture-" + System.nanoTime());
  }

  /** Everything captured so far. */
  public String text() {
    return out.toString(); // StringWriter's buffer is synchronized
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(name);
    context.updateLoggers();
    appender.stop();
  }
}
