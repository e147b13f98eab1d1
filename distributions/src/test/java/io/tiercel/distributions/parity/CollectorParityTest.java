package io.tiercel.distributions.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.service.Service;
import io.tiercel.core.service.ServiceException;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The collector's own configs for the components Tiercel has, run through Tiercel's validation
 * (load, bind, validate, build the pipeline graph; nothing starts), as {@code tiercel validate}
 * does. Each case's expectation is in {@code testdata/collector/expectations.yaml}:
 *
 * <ul>
 *   <li>{@code expect: valid}: the collector accepts it, so must Tiercel;
 *   <li>{@code expect: invalid KEY}: the collector rejects the value of KEY; Tiercel must reject it
 *       with an error that names KEY too, and not as a key it does not know;
 *   <li>{@code expect: unknown KEY}: the collector rejects KEY as a key it does not know; Tiercel
 *       must reject it naming KEY;
 *   <li>{@code expect: invalid}: the collector rejects it without naming a key; so must Tiercel;
 *   <li>{@code gap: REASON}: Tiercel does not do that yet; the case must still fail, so that fixing
 *       it makes this test ask for the gap line to go;
 *   <li>{@code excluded: REASON}: behind a collector feature gate or in development there: skipped.
 * </ul>
 *
 * <p>Where the corpus files are not on this machine (see {@link CollectorCorpus#corpusRoot()}), the
 * cases are skipped and say so.
 */
class CollectorParityTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

  static Stream<CorpusCase> cases() {
    return CollectorCorpus.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTheCollector(CorpusCase c, @TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(c.excluded() == null, () -> "excluded: " + c.excluded());
    Path root = corpus();
    Path file = root.resolve(c.file());
    assertThat(file).as("corpus file of %s", c.name()).isRegularFile();
    String config = CollectorCorpus.wrap(c, CollectorCorpus.read(file));
    Path yaml = dir.resolve("config.yaml");
    Files.writeString(yaml, config);

    @Nullable String error = validate(yaml, c.featureGates());
    @Nullable String mismatch = mismatch(c, error);
    if (c.gap() == null) {
      if (mismatch != null) {
        fail(mismatch + "\n--- config as validated ---\n" + config);
      }
    } else if (mismatch == null) {
      fail(
          "gap fixed: Tiercel now matches the collector on "
              + c.name()
              + "; remove its gap line from expectations.yaml (was: "
              + c.gap()
              + ")");
    }
  }

  @Test
  void everyCorpusFileHasACaseAndEveryCaseAFile() {
    Path root = corpus();
    Set<String> files = new TreeSet<>(CollectorCorpus.files(root));
    List<CorpusCase> cases = CollectorCorpus.cases();
    Set<String> covered = cases.stream().map(CorpusCase::file).collect(Collectors.toSet());
    Set<String> listed = new TreeSet<>(files);
    listed.removeAll(covered);
    assertThat(listed).as("corpus files without a case in expectations.yaml").isEmpty();
    Set<String> missing = new TreeSet<>(covered);
    missing.removeAll(files);
    assertThat(missing).as("cases whose file is not in the corpus").isEmpty();
    Map<String, Long> names =
        cases.stream().collect(Collectors.groupingBy(CorpusCase::name, Collectors.counting()));
    assertThat(names.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
        .as("cases listed twice")
        .isEmpty();
  }

  @Test
  void theWrappedConfigKeepsTheUsersText() {
    String file = "kafka/x:\n  sampled: 100_000\n  on: yes\nother:\n  k: v\n";
    CorpusCase c =
        CorpusCase.parse(
            Map.of("case", "f.yaml#kafka/x", "component", "receivers/kafka", "expect", "valid"));
    assertThat(CollectorCorpus.wrap(c, file))
        .startsWith("receivers:\n  kafka/x:\n        sampled: 100_000\n        on: yes\n")
        .contains("      receivers: [kafka/x]\n", "      exporters: [debug/corpus_out]\n")
        .doesNotContain("other");
    CorpusCase flow =
        CorpusCase.parse(
            Map.of(
                "case",
                "f.yaml#p::tail_sampling",
                "component",
                "processors/tail_sampling",
                "expect",
                "valid"));
    assertThat(CollectorCorpus.wrap(flow, "p:\n  tail_sampling: {a: [1,\n    2]}\n"))
        .contains("processors:\n  tail_sampling: {a: [1,\n          2]}\n");
    CorpusCase empty =
        CorpusCase.parse(
            Map.of(
                "case",
                "f.yaml#otlp",
                "component",
                "exporters/otlp_http",
                "expect",
                "invalid endpoint"));
    assertThat(CollectorCorpus.wrap(empty, "otlp:\n")).contains("exporters:\n  otlp_http:\n");
  }

  @Test
  void anOttlExampleRunsInTheContextOfItsPaths() {
    assertThat(OttlExamples.transform("delete_key", "delete_key(log.attributes, \"k\")"))
        .isEqualTo("\n      log_statements:\n        - 'delete_key(log.attributes, \"k\")'");
    assertThat(OttlExamples.transform("ConvertCase", "ConvertCase(metric.name, \"snake\")"))
        .isEqualTo(
            "\n      metric_statements:\n"
                + "        - 'set(metric.cache[\"parity\"], ConvertCase(metric.name, \"snake\"))'");
    assertThat(OttlExamples.transform("IsRootSpan", "IsRootSpan()"))
        .contains(
            "trace_statements:", "- context: span", "- 'set(cache[\"parity\"], IsRootSpan())'");
    assertThat(OttlExamples.transform("Concat", "Concat([\"span.x\", 'a'], \"\")"))
        .contains("- context: log", "Concat([\"span.x\", ''a''], \"\")");
  }

  @Test
  void aKeyIsNamedOnlyAsAWholeWord() {
    assertThat(names("exporters.otlp.endpoint: must not be empty", "endpoint")).isTrue();
    assertThat(names("exporters.otlp.profiles_endpoint: bad", "endpoint")).isFalse();
    assertThat(names("'protocols' has invalid keys: htttp", "htttp")).isTrue();
  }

  private static Path corpus() {
    Optional<Path> root = CollectorCorpus.corpusRoot();
    Assumptions.assumeTrue(
        root.isPresent(),
        "the collector corpus is not on this machine (testdata/collector/<repository>/ or"
            + " shared/collector/ beside the checkout): see testdata/collector/README.md");
    return root.get();
  }

  /** Null when Tiercel accepts the config, else every error it reports. */
  private static @Nullable String validate(Path yaml, String featureGates) {
    ServiceConfig cfg;
    try {
      cfg = new ConfigLoader(REGISTRY, v -> null).load(List.of(yaml.toString()), List.of());
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "crash: " + e;
    }
    Service service =
        new Service(
            cfg,
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC(),
            REGISTRY.featureGates().apply(featureGates));
    try {
      service.build();
      return null;
    } catch (ServiceException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return "crash: " + e;
    } finally {
      service.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Null when Tiercel's outcome matches the collector's, else how it differs. */
  private static @Nullable String mismatch(CorpusCase c, @Nullable String error) {
    if (error != null && error.startsWith("crash: ")) {
      return "Tiercel crashed instead of reporting a config error: " + error;
    }
    if (c.valid()) {
      return error == null
          ? null
          : "the collector accepts this config; Tiercel rejects it:\n" + error;
    }
    if (error == null) {
      return "the collector rejects this config"
          + (c.invalidKey() == null ? "" : " naming " + c.invalidKey())
          + "; Tiercel accepts it";
    }
    String key = c.invalidKey();
    if (key == null) {
      return null;
    }
    if (!names(error, key)) {
      return "the collector's error names "
          + key
          + "; Tiercel rejects it without naming that key:\n"
          + error;
    }
    if (!c.unknownKey() && error.contains("unknown key \"" + key + "\"")) {
      return "the collector knows "
          + key
          + " and rejects its value; Tiercel does not know the key:\n"
          + error;
    }
    return null;
  }

  static boolean names(String message, String key) {
    return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(key) + "(?![A-Za-z0-9_])")
        .matcher(message)
        .find();
  }
}
