package io.tiercel.testing.component;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.core.pdata.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component contract as dynamic tests, one container per factory (STYLE.md rule 32). Extend it
 * in a module's tests; by default it checks every factory {@link ComponentRegistry#load()} finds on
 * the test class path:
 *
 * <pre>{@code
 * class KafkaComponentsContractTest extends ComponentContractTest {
 *   @Override
 *   protected ContractConfig contractConfig() {
 *     return ContractConfig.builder()
 *         .skipStart(Kind.EXPORTER, "kafka", "needs a broker: KafkaExporterIT").build();
 *   }
 * }
 * }</pre>
 *
 * <p>For each factory: the type rule, the default config, the declared signals (and {@code
 * SignalNotSupportedException} for the others), shutdown without start (twice), and, unless
 * skipped, start, consume {@link io.tiercel.testing.TestData}, shutdown (twice) per signal. A run
 * with no factories fails, so a broken {@code META-INF/services} file cannot pass unnoticed.
 */
public abstract class ComponentContractTest {
  /** A temp dir for the whole factory run; each config hook call gets its own subdirectory. */
  @TempDir protected Path tempDir;

  /**
   * The factories to check; default: every factory of every kind found by {@link
   * ComponentRegistry#load()}.
   */
  protected Collection<? extends Factory<?>> factories() {
    ComponentRegistry registry = ComponentRegistry.load();
    List<Factory<?>> all = new ArrayList<>();
    for (Kind k : Kind.values()) {
      all.addAll(registry.factories(k).values());
    }
    return all;
  }

  /**
   * The factories found by {@link ComponentRegistry#load()} whose class is in {@code packagePrefix}
   * (or below): lets a module check only its own components, e.g. {@code
   * factoriesUnder("io.tiercel.kafka")}.
   */
  protected static List<Factory<?>> factoriesUnder(String packagePrefix) {
    ComponentRegistry registry = ComponentRegistry.load();
    List<Factory<?>> mine = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (Factory<?> f : registry.factories(k).values()) {
        if (f.getClass().getName().startsWith(packagePrefix + ".")) {
          mine.add(f);
        }
      }
    }
    return mine;
  }

  /** Config hooks and skips; default none. */
  protected ContractConfig contractConfig() {
    return ContractConfig.defaults();
  }

  /** One container per factory, sorted by kind and type. */
  @TestFactory
  protected Stream<DynamicNode> componentContract() {
    List<? extends Factory<?>> factories = new ArrayList<>(factories());
    if (factories.isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "factories are found",
              () -> {
                throw new AssertionError(
                    "no component factories found: check META-INF/services/"
                        + Factory.class.getName());
              }));
    }
    factories.sort(Comparator.comparing((Factory<?> f) -> f.kind()).thenComparing(Factory::type));
    ContractConfig contract = contractConfig();
    return factories.stream().map(f -> container(f, contract));
  }

  private DynamicContainer container(Factory<?> f, ContractConfig contract) {
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest("type is lower_snake_case", () -> ComponentContract.checkType(f)));
    tests.add(
        DynamicTest.dynamicTest(
            "default config is a record of configClass()",
            () -> ComponentContract.checkDefaultConfig(f)));
    tests.add(
        DynamicTest.dynamicTest(
            "default config binds back from its YAML",
            () -> ComponentContract.checkConfigBinds(f)));
    tests.add(
        DynamicTest.dynamicTest(
            "declared signals create, others throw SignalNotSupportedException",
            () -> ComponentContract.checkSignals(f, config(f, contract))));
    tests.add(
        DynamicTest.dynamicTest(
            "shutdown without start is safe and idempotent",
            () ->
                ComponentContract.checkShutdownWithoutStart(
                    f, config(f, contract), contract.timeout())));
    String skip = contract.skipStartReason(f.kind(), f.type());
    if (skip != null) {
      tests.add(DynamicTest.dynamicTest("start skipped: " + skip, () -> {}));
    } else {
      for (Signal s : ComponentContract.instanceSignals(f)) {
        String name =
            s == null
                ? "start, shutdown, shutdown"
                : "start, consume " + s + ", shutdown, shutdown";
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () ->
                    ComponentContract.checkLifecycle(
                        f, config(f, contract), s, contract.timeout())));
      }
    }
    return DynamicContainer.dynamicContainer(
        ComponentContract.describe(f) + " (" + f.getClass().getSimpleName() + ")", tests);
  }

  private Record config(Factory<?> f, ContractConfig contract) {
    try {
      Path dir = Files.createTempDirectory(tempDir, f.kind().label() + "-" + f.type() + "-");
      return ComponentContract.configFor(f, contract, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
