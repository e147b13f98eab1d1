package io.tiercel.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.Fixtures;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code shared_cache}: the groups of one context that ask for it share one cache map for a batch,
 * kept from item to item; other groups, and other contexts, start every item with an empty one.
 */
class TransformSharedCacheTest {
  private static final Errors ERRORS =
      new Errors(LoggerFactory.getLogger(TransformSharedCacheTest.class), "test");

  private static TransformRunner runner(String yaml) {
    TransformConfig c = YamlBinder.bind(TransformConfig.defaults(), YamlBinder.yaml(yaml));
    return TransformRunner.of(c.transformGroups(Signal.LOGS), Clock.systemUTC(), ERRORS);
  }

  private static List<Map<String, Object>> attributes(LogsData d) {
    return d.getResourceLogs(0).getScopeLogs(0).getLogRecordsList().stream()
        .map(LogRecord::getAttributesList)
        .map(Fixtures::plain)
        .toList();
  }

  @Test
  void sharedGroupsOfOneContextSeeOneCacheForTheBatch() {
    TransformRunner r =
        runner(
            """
            log_statements:
              - shared_cache: true
                statements:
                  - set(log.attributes["seen"], log.cache["last"])
                  - set(log.cache["last"], log.severity_text)
              - shared_cache: true
                statements: ['set(log.attributes["after"], log.cache["last"])']
              - statements: ['set(log.attributes["own"], log.cache["last"])']
              - context: resource
                shared_cache: true
                statements: ['set(resource.attributes["r"], resource.cache["last"])']
            """);
    LogsData out = r.apply(Fixtures.logs(Map.of("log.attributes", Map.of())));
    // records ERROR, INFO, DEBUG: each sees the one before it, the next group sees the last one
    assertThat(attributes(out))
        .containsExactly(
            Map.of("after", "DEBUG"),
            Map.of("seen", "ERROR", "after", "DEBUG"),
            Map.of("seen", "INFO", "after", "DEBUG"));
    assertThat(Fixtures.plain(out.getResourceLogs(0).getResource().getAttributesList()))
        .doesNotContainKey("r");
  }

  @Test
  void eachBatchStartsWithAnEmptySharedCache() {
    TransformRunner r =
        runner(
            """
            log_statements:
              - shared_cache: true
                statements:
                  - set(log.attributes["seen"], log.cache["last"])
                  - set(log.cache["last"], log.severity_text)
            """);
    LogsData in = Fixtures.logs(Map.of("log.attributes", Map.of()));
    r.apply(in);
    assertThat(attributes(r.apply(in)).get(0)).isEmpty();
  }

  @Test
  void withoutTheOptionEveryItemStartsEmpty() {
    TransformRunner r =
        runner(
            """
            log_statements:
              - statements:
                  - set(log.attributes["seen"], log.cache["last"])
                  - set(log.cache["last"], log.severity_text)
            """);
    assertThat(attributes(r.apply(Fixtures.logs(Map.of("log.attributes", Map.of())))))
        .containsOnly(Map.of());
  }

  @Test
  void replacingTheWholeSharedCacheKeepsTheNewMap() {
    TransformRunner r =
        runner(
            """
            log_statements:
              - shared_cache: true
                statements: ['set(log.cache, {"k": "v"}) where log.severity_text == "ERROR"']
              - shared_cache: true
                statements: ['set(log.attributes["k"], log.cache["k"])']
            """);
    assertThat(attributes(r.apply(Fixtures.logs(Map.of("log.attributes", Map.of())))))
        .containsOnly(Map.of("k", "v"));
  }
}
