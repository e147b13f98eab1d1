package io.tiercel.kafka.receiver;

import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.jspecify.annotations.Nullable;

/**
 * Which topics the receiver subscribes to for the signals in use, and which signal a topic's
 * records belong to. Poll thread only (the routes are cached per topic).
 */
final class TopicRouter {
  private final KafkaReceiverConfig config;
  private final Set<Signal> signals;
  private final Map<String, Signal> topicSignals = new HashMap<>();

  TopicRouter(KafkaReceiverConfig config, Set<Signal> signals) {
    this.config = config;
    this.signals = signals;
  }

  /**
   * Subscribes {@code consumer}: to one pattern when a signal's topics hold a regex, else by name.
   */
  void subscribe(Consumer<byte[], byte[]> consumer, ConsumerRebalanceListener listener) {
    boolean regex = signals.stream().anyMatch(s -> config.signal(s).usesRegex());
    if (regex) {
      consumer.subscribe(subscriptionPattern(config, signals), listener);
    } else {
      consumer.subscribe(new LinkedHashSet<>(config.topicsOf(signals)), listener);
    }
  }

  /**
   * One pattern matching exactly the topics of every signal in use (literal names quoted,
   * exclusions applied).
   */
  static Pattern subscriptionPattern(KafkaReceiverConfig config, Set<Signal> signals) {
    List<String> parts = new ArrayList<>();
    for (Signal s : signals) {
      SignalTopics sc = config.signal(s);
      List<String> in =
          sc.topics().stream().map(t -> SignalTopics.isRegex(t) ? t : Pattern.quote(t)).toList();
      String include = "(?:" + String.join("|", in) + ")";
      if (!sc.excludeTopics().isEmpty()) {
        include = "(?!(?:" + String.join("|", sc.excludeTopics()) + ")$)" + include;
      }
      parts.add("(?:" + include + ")");
    }
    return Pattern.compile(String.join("|", parts));
  }

  /** The signal whose topics hold {@code topic}, or null when none does. */
  @Nullable Signal route(String topic) {
    return topicSignals.computeIfAbsent(
        topic,
        t -> {
          for (Signal s : signals) {
            if (config.signal(s).matches(t)) {
              return s;
            }
          }
          return null;
        });
  }
}
