package io.tiercel.core.telemetry.logs;

import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Applies {@code service.telemetry.logs} to log4j2 (the binding of slf4j in the distribution):
 * {@code level} sets the root logger's level, {@code encoding} the layout of the console appenders
 * attached to the root logger ({@code log4j2.xml}'s stderr appender): {@code console} keeps the
 * pattern layout, {@code json} swaps in a console appender with the same target and a {@link
 * JsonLogLayout}. Other appenders (a file a user configured in their own log4j2 file, a test's
 * capture) are left alone. Call it once at start, before the components log; calling it again
 * switches back and forth.
 */
public final class LogSetup {
  private static final String JSON_SUFFIX = "-json";

  private LogSetup() {}

  /**
   * Applies the level and the encoding.
   *
   * @param level {@code debug}, {@code info}, {@code warn} or {@code error} (null: info)
   * @param encoding {@code console} or {@code json} (null: console)
   */
  public static void apply(String level, String encoding) {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return; // not log4j2 core (e.g. an embedding application's own binding): nothing of ours to
      // configure
    }
    Configuration conf = ctx.getConfiguration();
    LoggerConfig root = conf.getRootLogger();
    root.setLevel(
        Level.toLevel(level == null ? "info" : level.toUpperCase(Locale.ROOT), Level.INFO));
    boolean json = "json".equals(encoding);
    for (Appender a : List.copyOf(root.getAppenders().values())) {
      if (!(a instanceof ConsoleAppender console)) {
        continue;
      }
      boolean isJson = console.getLayout() instanceof JsonLogLayout;
      if (json && !isJson) {
        Appender replacement = conf.getAppender(a.getName() + JSON_SUFFIX);
        if (replacement == null) {
          replacement =
              ConsoleAppender.newBuilder()
                  .setName(a.getName() + JSON_SUFFIX)
                  .setTarget(console.getTarget())
                  .setLayout(new JsonLogLayout())
                  .setConfiguration(conf)
                  .build();
          replacement.start();
          conf.addAppender(replacement);
        }
        swap(root, console, replacement);
      } else if (!json && isJson && a.getName().endsWith(JSON_SUFFIX)) {
        Appender original =
            conf.getAppender(a.getName().substring(0, a.getName().length() - JSON_SUFFIX.length()));
        if (original != null) {
          swap(root, console, original);
        }
      }
    }
    ctx.updateLoggers();
  }

  private static void swap(LoggerConfig root, Appender out, Appender in) {
    root.addAppender(in, null, null);
    root.removeAppender(out.getName());
  }
}
