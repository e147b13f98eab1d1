package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.kafka.common.encoding.EncodingRef;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.SignalCodec;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * {@code traces}, {@code metrics}, {@code logs}, {@code profiles}: where one signal is read from.
 * The collector's deprecated singular keys {@code topic} and {@code exclude_topic} are taken as
 * one-entry {@code topics} and {@code exclude_topics}, and kept empty once merged.
 *
 * @param topics topic names; an entry starting with {@code ^} is a regular expression matched
 *     against whole names
 * @param topic deprecated: a single topic, used when {@code topics} is not set
 * @param excludeTopics regular expressions of topics to leave out; only allowed with a regex in
 *     {@code topics}
 * @param excludeTopic deprecated: a single {@code exclude_topics} entry
 * @param encoding how record values hold the data: a built-in encoding ({@code otlp_proto} default)
 *     or an encoding extension's id
 */
public record SignalTopics(
    List<String> topics,
    @Nullable String topic,
    List<String> excludeTopics,
    @Nullable String excludeTopic,
    EncodingRef encoding) {
  /**
   * The signals' default topics. A {@code topics} that is one of them alone is taken as not set
   * when the deprecated {@code topic} is given, because YAML is laid over the defaults and the two
   * cannot be told apart.
   */
  private static final Set<String> DEFAULT_TOPICS =
      Set.of("otlp_spans", "otlp_metrics", "otlp_logs", "otlp_profiles");

  public SignalTopics {
    if (topic != null && !topic.isEmpty()) {
      if (topics != null && !(topics.size() == 1 && DEFAULT_TOPICS.contains(topics.get(0)))) {
        throw new InvalidValueException(
            "topic", "cannot be set together with topics (topic is deprecated: use topics)");
      }
      topics = List.of(topic);
    }
    topic = null;
    if (excludeTopic != null && !excludeTopic.isEmpty()) {
      if (excludeTopics != null && !excludeTopics.isEmpty()) {
        throw new InvalidValueException(
            "exclude_topic",
            "cannot be set together with exclude_topics (exclude_topic is deprecated: use"
                + " exclude_topics)");
      }
      excludeTopics = List.of(excludeTopic);
    }
    excludeTopic = null;
    if (topics == null || topics.isEmpty()) {
      throw new InvalidValueException("topics", "must list at least one topic");
    }
    topics = List.copyOf(topics);
    excludeTopics = excludeTopics == null ? List.of() : List.copyOf(excludeTopics);
    encoding = encoding == null ? EncodingRef.of(RecordEncoding.OTLP_PROTO) : encoding;
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

  /** A signal reading {@code topics} without exclusions. */
  public SignalTopics(
      List<String> topics, @Nullable List<String> excludeTopics, @Nullable SignalCodec encoding) {
    this(topics, null, excludeTopics, null, encoding == null ? null : EncodingRef.of(encoding));
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
