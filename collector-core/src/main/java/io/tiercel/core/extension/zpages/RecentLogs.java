package io.tiercel.core.extension.zpages;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * The last warnings and errors the collector logged, for the status page: a log4j2 appender on the
 * root logger (WARN and above) that keeps at most {@link #CAPACITY} entries. Throttled: an event
 * with the same level, logger and message pattern as one kept less than {@link #THROTTLE_MILLIS}
 * ago counts as a repeat of it (its {@code repeated} count and {@code last} time move) instead of
 * taking a new entry, so a flood of one failure cannot push the others out. Thread-safe.
 */
final class RecentLogs extends AbstractAppender {
  static final int CAPACITY = 50;
  static final long THROTTLE_MILLIS = 10_000;

  private static final class Entry {
    final String key;
    final Instant first;
    final String level;
    final String logger;
    final String message;
    Instant last;
    long repeated;

    Entry(String key, Instant first, String level, String logger, String message) {
      this.key = key;
      this.first = first;
      this.last = first;
      this.level = level;
      this.logger = logger;
      this.message = message;
    }
  }

  private final Object lock = new Object();
  private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // guarded by lock
  private final HashMap<String, Entry> byKey = new HashMap<>(); // guarded by lock
  private Configuration attachedTo; // guarded by lock

  RecentLogs(String name) {
    super(name, null, null, true, Property.EMPTY_ARRAY);
  }

  /**
   * Attaches to the root logger of log4j2; false (and nothing kept) when log4j2 core is not the
   * logging backend.
   */
  boolean attach() {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return false;
    }
    Configuration conf = ctx.getConfiguration();
    start();
    conf.addAppender(this);
    conf.getRootLogger().addAppender(this, Level.WARN, null);
    ctx.updateLoggers();
    synchronized (lock) {
      attachedTo = conf;
    }
    return true;
  }

  /** Detaches from the logger it was attached to; idempotent. */
  void detach() {
    Configuration conf;
    synchronized (lock) {
      conf = attachedTo;
      attachedTo = null;
    }
    if (conf != null) {
      conf.getRootLogger().removeAppender(getName());
      if (LogManager.getContext(false) instanceof LoggerContext ctx) {
        ctx.updateLoggers();
      }
      stop();
    }
  }

  @Override
  public void append(LogEvent event) {
    if (!event.getLevel().isMoreSpecificThan(Level.WARN)) {
      return;
    }
    Instant at = Instant.ofEpochMilli(event.getTimeMillis());
    String pattern = event.getMessage().getFormat();
    String key = event.getLevel() + "|" + event.getLoggerName() + "|" + pattern;
    synchronized (lock) {
      Entry same = byKey.get(key);
      if (same != null && at.toEpochMilli() - same.first.toEpochMilli() < THROTTLE_MILLIS) {
        same.repeated++;
        same.last = at;
        return;
      }
    }
    String text = event.getMessage().getFormattedMessage();
    Throwable t = event.getThrown();
    if (t != null) {
      text = text + ": " + t;
    }
    Entry e = new Entry(key, at, event.getLevel().name(), event.getLoggerName(), text);
    synchronized (lock) {
      entries.addLast(e);
      byKey.put(key, e);
      while (entries.size() > CAPACITY) {
        Entry old = entries.removeFirst();
        byKey.remove(old.key, old);
      }
    }
  }

  /** The entries, newest first, as JSON-ready maps. */
  List<Map<String, Object>> snapshot() {
    List<Map<String, Object>> out = new ArrayList<>();
    synchronized (lock) {
      var it = entries.descendingIterator();
      while (it.hasNext()) {
        Entry e = it.next();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.first.toString());
        m.put("level", e.level);
        m.put("logger", e.logger);
        m.put("message", e.message);
        m.put("repeated", e.repeated);
        m.put("last", e.last.toString());
        out.add(m);
      }
    }
    return out;
  }
}
