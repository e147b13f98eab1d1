package io.tiercel.core.telemetry.logs;

import io.tiercel.core.component.Kind;
import io.tiercel.core.util.JsonText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/**
 * {@code service.telemetry.logs.encoding: json}: one JSON object per line, with the keys of the
 * collector's JSON logs (zap's production encoder):
 *
 * <ul>
 *   <li>{@code level}: {@code debug}, {@code info}, {@code warn}, {@code error} (lowercase)
 *   <li>{@code ts}: ISO-8601 in UTC with milliseconds, e.g. {@code 2026-11-22T13:08:28.123Z}
 *   <li>{@code logger}: the logger's name
 *   <li>{@code msg}: the formatted message
 *   <li>{@code otelcol.component.id} and {@code otelcol.component.kind}: for a component's own
 *       logger ({@code io.tiercel.<kind>.<id>}, as {@code Settings} names it), the collector's
 *       component attributes
 *   <li>{@code thread}: the thread that logged
 *   <li>{@code error} and {@code stacktrace}: with a throwable, its {@code toString()} and its
 *       stack trace
 * </ul>
 *
 * Strings are escaped per RFC 8259 ({@link JsonText}), so a message holding newlines stays on one
 * line. Thread-safe; never throws for an event.
 */
public final class JsonLogLayout extends AbstractStringLayout {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String COMPONENT_PREFIX = "io.tiercel.";
  private static final Set<String> KINDS =
      Arrays.stream(Kind.values()).map(Kind::label).collect(Collectors.toUnmodifiableSet());

  public JsonLogLayout() {
    super(StandardCharsets.UTF_8);
  }

  @Override
  public String getContentType() {
    return "application/json; charset=UTF-8";
  }

  @Override
  public String toSerializable(LogEvent event) {
    StringBuilder sb = getStringBuilder();
    sb.append("{\"level\":\"").append(level(event)).append('"');
    sb.append(",\"ts\":\"")
        .append(TS.format(Instant.ofEpochMilli(event.getTimeMillis())))
        .append('"');
    String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
    field(sb, "logger", logger);
    field(sb, "msg", event.getMessage() == null ? "" : event.getMessage().getFormattedMessage());
    component(sb, logger);
    if (event.getThreadName() != null) {
      field(sb, "thread", event.getThreadName());
    }
    Throwable t = event.getThrown();
    if (t != null) {
      field(sb, "error", t.toString());
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      field(sb, "stacktrace", trace.toString().stripTrailing());
    }
    return sb.append("}\n").toString();
  }

  private static String level(LogEvent event) {
    return switch (event.getLevel().getStandardLevel()) {
      case FATAL -> "fatal";
      case ERROR -> "error";
      case WARN -> "warn";
      case INFO -> "info";
      case DEBUG -> "debug";
      default -> "debug"; // TRACE and ALL: zap has nothing finer than debug
    };
  }

  /** {@code io.tiercel.<kind>.<type>[/<name>]}: the logger {@code Settings} gives a component. */
  private static void component(StringBuilder sb, String logger) {
    if (!logger.startsWith(COMPONENT_PREFIX)) {
      return;
    }
    int dot = logger.indexOf('.', COMPONENT_PREFIX.length());
    if (dot < 0 || dot == logger.length() - 1) {
      return;
    }
    String kind = logger.substring(COMPONENT_PREFIX.length(), dot);
    if (KINDS.contains(kind)) {
      field(sb, "otelcol.component.id", logger.substring(dot + 1));
      field(sb, "otelcol.component.kind", kind);
    }
  }

  private static void field(StringBuilder sb, String key, String value) {
    sb.append(",\"").append(key).append("\":");
    JsonText.quote(sb, value);
  }
}
