package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code traces}, {@code metrics}, {@code logs}: where one signal is read from.
 *
 * @param topics topic names; an entry starting with {@code ^} is a regular expression matched
 *     against whole names
 * @param excludeTopics regular expressions of topics to leave out; only allowed with a regex in
 *     {@code topics}
 * @param encoding how record values hold the data ({@code otlp_proto} default, {@code otlp_json})
 */
public record SignalTopics(
    List<String> topics, List<String> excludeTopics, RecordEncoding encoding) {
  public SignalTopics {
    if (topics == null || topics.isEmpty()) {
      throw new InvalidValueException("topics", "must list at least one topic");
    }
    topics = List.copyOf(topics);
    excludeTopics = excludeTopics == null ? List.of() : List.copyOf(excludeTopics);
    encoding = encoding == null ? RecordEncoding.OTLP_PROTO : encoding;
    for (int i = 0; i < topics.size(); i++) {
      String t = topics.get(i);
      if (t == null || t.isBlank()) {
        throw new InvalidValueException("topics[" + i + "]", "must not be empty");
      }
      if (isRegex(t)) {
        compile("topics[" + i + "]", t);
      }
    }
    if (!excludeTopics.isEmpty() && topics.stream().noneMatch(SignalTopics::isRegex)) {
      throw new InvalidValueException(
          "exclude_topics",
          "is only allowed when a topics entry is a regular expression (starts with '^')");
    }
    for (int i = 0; i < excludeTopics.size(); i++) {
      String t = excludeTopics.get(i);
      if (t == null || t.isEmpty()) {
        throw new InvalidValueException(
            "exclude_topics[" + i + "]", "must not be empty (it would match every topic)");
      }
      compile("exclude_topics[" + i + "]", t);
    }
  }

  /** A signal reading {@code topic} with the default encoding. */
  public static SignalTopics of(String topic) {
    return new SignalTopics(List.of(topic), List.of(), RecordEncoding.OTLP_PROTO);
  }

  /** True when a {@code topics} entry is a regular expression. */
  static boolean isRegex(String topic) {
    return topic.startsWith("^");
  }

  /** True when records of {@code topic} belong to this signal. */
  boolean matches(String topic) {
    boolean in = false;
    for (String t : topics) {
      if (isRegex(t) ? Pattern.compile(t).matcher(topic).matches() : t.equals(topic)) {
        in = true;
        break;
      }
    }
    if (!in) {
      return false;
    }
    for (String x : excludeTopics) {
      if (Pattern.compile(x).matcher(topic).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code topics} holds a regular expression. */
  boolean usesRegex() {
    return topics.stream().anyMatch(SignalTopics::isRegex);
  }

  private static void compile(String key, String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidValueException(
          key, "\"" + regex + "\" is not a valid regular expression: " + e.getDescription());
    }
  }
}
