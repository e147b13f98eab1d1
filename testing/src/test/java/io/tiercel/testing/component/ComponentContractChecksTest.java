package io.tiercel.testing.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each contract check fails, with a message naming the factory, on a component that breaks that
 * rule.
 */
class ComponentContractChecksTest {
  private static final Duration T = Duration.ofSeconds(2);

  record Cfg(int n) {}

  /** A traces-only exporter whose behaviour each test bends. */
  static class Bent implements ExporterFactory<Cfg> {
    String type = "bent";
    Function<Traces, CompletableFuture<Void>> consume = d -> TelemetryConsumer.done();
    boolean logsToo;
    boolean shutdownOnce;
    AtomicInteger defaults = new AtomicInteger();
    boolean nullDefault;
    boolean mutates;

    @Override
    public String type() {
      return type;
    }

    @Override
    public Class<Cfg> configClass() {
      return Cfg.class;
    }

    @Override
    public Cfg createDefaultConfig() {
      return nullDefault ? null : new Cfg(type.equals("drifting") ? defaults.incrementAndGet() : 1);
    }

    @Override
    public Map<Signal, Stability> signals() {
      return Map.of(Signal.TRACES, Stability.ALPHA);
    }

    @Override
    public Exporter<Traces> createTraces(Settings settings, Cfg config) {
      return exporter();
    }

    @Override
    public Exporter<Logs> createLogs(Settings settings, Cfg config) {
      if (logsToo) {
        return new Exporter<>() {
          @Override
          public void start(Host host) {}

          @Override
          public CompletableFuture<Void> consume(Context ctx, Logs data) {
            return TelemetryConsumer.done();
          }

          @Override
          public void shutdown(Deadline deadline) {}
        };
      }
      return ExporterFactory.super.createLogs(settings, config);
    }

    Exporter<Traces> exporter() {
      return new Exporter<>() {
        int shutdowns;

        @Override
        public void start(Host host) {}

        @Override
        public CompletableFuture<Void> consume(Context ctx, Traces data) {
          if (mutates) {
            data.bytes()[0] ^= 1;
          }
          return consume.apply(data);
        }

        @Override
        public void shutdown(Deadline deadline) {
          if (++shutdowns > 1 && shutdownOnce) {
            throw new IllegalStateException("already shut down");
          }
        }
      };
    }
  }

  @Test
  void wellBehavedExporterPassesEveryCheck() {
    Bent f = new Bent();
    assertThatCode(
            () -> {
              ComponentContract.checkType(f);
              ComponentContract.checkDefaultConfig(f);
              ComponentContract.checkSignals(f, new Cfg(1));
              ComponentContract.checkShutdownWithoutStart(f, new Cfg(1), T);
              ComponentContract.checkLifecycle(f, new Cfg(1), Signal.TRACES, T);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void typeMustBeLowerSnakeCase() {
    for (String bad : List.of("BadType", "bad-type", "bad__type", "_bad", "9lives", "bad_")) {
      Bent f = new Bent();
      f.type = bad;
      assertThatThrownBy(() -> ComponentContract.checkType(f))
          .isInstanceOf(AssertionError.class)
          .hasMessage(
              "exporter type \""
                  + bad
                  + "\" of "
                  + Bent.class.getName()
                  + " is not lower_snake_case (a lowercase letter, then lowercase letters, digits"
                  + " and single '_')");
    }
    Bent ok = new Bent();
    ok.type = "tail_sampling2";
    assertThatCode(() -> ComponentContract.checkType(ok)).doesNotThrowAnyException();
  }

  @Test
  void defaultConfigMustBeANonNullDeterministicRecord() {
    Bent nul = new Bent();
    nul.nullDefault = true;
    assertThatThrownBy(() -> ComponentContract.checkDefaultConfig(nul))
        .hasMessage("exporter \"bent\": createDefaultConfig() returned null");
    Bent drifting = new Bent();
    drifting.type = "drifting";
    assertThatThrownBy(() -> ComponentContract.checkDefaultConfig(drifting))
        .hasMessage(
            "exporter \"drifting\": createDefaultConfig() is not deterministic: Cfg[n=1] !="
                + " Cfg[n=2]");
  }

  record Unbindable(java.util.concurrent.atomic.AtomicLong counter) {}

  @Test
  void defaultConfigMustBindBackFromItsYaml() {
    ExporterFactory<Unbindable> f =
        new ExporterFactory<>() {
          @Override
          public String type() {
            return "unbindable";
          }

          @Override
          public Class<Unbindable> configClass() {
            return Unbindable.class;
          }

          @Override
          public Unbindable createDefaultConfig() {
            return new Unbindable(new java.util.concurrent.atomic.AtomicLong(3));
          }

          @Override
          public Map<Signal, Stability> signals() {
            return Map.of(Signal.TRACES, Stability.ALPHA);
          }
        };
    assertThatThrownBy(() -> ComponentContract.checkConfigBinds(f))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "exporter \"unbindable\": the printed default config does not bind: "
                + "[exporters.unbindable.counter: ");
    assertThatCode(() -> ComponentContract.checkConfigBinds(new Bent())).doesNotThrowAnyException();
  }

  @Test
  void anUndeclaredSignalMustThrowSignalNotSupported() {
    Bent f = new Bent();
    f.logsToo = true;
    assertThatThrownBy(() -> ComponentContract.checkSignals(f, new Cfg(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "exporter \"bent\" does not declare the logs signal but creating it did not throw "
                + "SignalNotSupportedException");
  }

  @Test
  void shutdownMustBeIdempotent() {
    Bent f = new Bent();
    f.shutdownOnce = true;
    assertThatThrownBy(() -> ComponentContract.checkShutdownWithoutStart(f, new Cfg(1), T))
        .hasMessage(
            "exporter \"bent\" [traces]: shutdown #2 without start threw "
                + "java.lang.IllegalStateException: already shut down");
    assertThatThrownBy(() -> ComponentContract.checkLifecycle(f, new Cfg(1), Signal.TRACES, T))
        .hasMessage(
            "exporter \"bent\" [traces]: shutdown #2 after start threw "
                + "java.lang.IllegalStateException: already shut down");
  }

  @Test
  void consumeFuturesMustBeDoneAfterShutdown() {
    Bent f = new Bent();
    f.consume = d -> new CompletableFuture<>();
    assertThatThrownBy(
            () ->
                ComponentContract.checkLifecycle(
                    f, new Cfg(1), Signal.TRACES, Duration.ofMillis(100)))
        .hasMessage(
            "exporter \"bent\" [traces]: consume future #1 is still pending 100 ms after shutdown"
                + " returned");
  }

  @Test
  void consumeFuturesMayOnlyFailWithAPipelineException() {
    Bent f = new Bent();
    f.consume = d -> CompletableFuture.failedFuture(new IllegalStateException("oops"));
    assertThatThrownBy(() -> ComponentContract.checkLifecycle(f, new Cfg(1), Signal.TRACES, T))
        .hasMessage(
            "exporter \"bent\" [traces]: consume future #1 failed with"
                + " java.lang.IllegalStateException: oops, not a RetryableException or"
                + " PermanentException");
    Bent throwing = new Bent();
    throwing.consume =
        d -> {
          throw new IllegalArgumentException("sync");
        };
    assertThatThrownBy(
            () -> ComponentContract.checkLifecycle(throwing, new Cfg(1), Signal.TRACES, T))
        .hasMessage(
            "exporter \"bent\" [traces]: consume threw instead of returning a future: "
                + "java.lang.IllegalArgumentException: sync");
  }

  @Test
  void readOnlyDataMustNotBeModified() {
    Bent f = new Bent();
    f.mutates = true;
    assertThatThrownBy(() -> ComponentContract.checkLifecycle(f, new Cfg(1), Signal.TRACES, T))
        .hasMessage(
            "exporter \"bent\" [traces]: modified the data it consumed (#1) but mutatesData() is"
                + " false");
  }

  @Test
  void startFailureIsReportedWithTheFactory() {
    SampleComponents.SinkExporterFactory f = new SampleComponents.SinkExporterFactory();
    assertThatThrownBy(
            () -> ComponentContract.checkLifecycle(f, f.createDefaultConfig(), Signal.TRACES, T))
        .hasMessage(
            "exporter \"sample_sink\" [traces]: start failed: java.lang.IllegalStateException: "
                + "directory is required");
  }

  @Test
  void configHookMustReturnTheFactorysConfigClass(@TempDir Path dir) {
    SampleComponents.SinkExporterFactory f = new SampleComponents.SinkExporterFactory();
    ContractConfig wrong =
        ContractConfig.builder().config(f.kind(), "sample_sink", (d, t) -> new Cfg(1)).build();
    assertThatThrownBy(() -> ComponentContract.configFor(f, wrong, dir))
        .hasMessage(
            "the contract config for exporter \"sample_sink\" is a "
                + Cfg.class.getName()
                + ", not a "
                + SampleComponents.SinkConfig.class.getName());
    ContractConfig failing =
        ContractConfig.builder()
            .config(f.kind(), "sample_sink", (d, t) -> new SampleComponents.SinkConfig("x", 0))
            .build();
    assertThatThrownBy(() -> ComponentContract.configFor(f, failing, dir))
        .hasMessage(
            "the contract config for exporter \"sample_sink\" failed: "
                + "java.lang.IllegalArgumentException: max_items must be positive");
  }

  @Test
  void yamlHooksBindOverTheDefaultsAndReportBindingErrorsWithTheirPath(@TempDir Path dir) {
    SampleComponents.SinkExporterFactory f = new SampleComponents.SinkExporterFactory();
    ContractConfig ok =
        ContractConfig.builder()
            .yaml(f.kind(), "sample_sink", d -> Map.of("directory", d.toString()))
            .build();
    assertThat(ComponentContract.configFor(f, ok, dir))
        .isEqualTo(new SampleComponents.SinkConfig(dir.toString(), 1000));
    ContractConfig bad =
        ContractConfig.builder()
            .yaml(f.kind(), "sample_sink", d -> Map.of("directry", "x"))
            .build();
    assertThatThrownBy(() -> ComponentContract.configFor(f, bad, dir))
        .hasMessageStartingWith(
            "the contract config for exporter \"sample_sink\" failed: "
                + "io.tiercel.core.config.ConfigException: exporters.sample_sink")
        .hasMessageContaining("directry");
  }

  @Test
  void anInvalidConfigAtCreateIsReportedWithItsKey() {
    Bent f =
        new Bent() {
          @Override
          public Exporter<Traces> createTraces(Settings settings, Cfg config) {
            throw new io.tiercel.core.config.InvalidValueException(
                "limit_mib", "must be greater than zero");
          }
        };
    assertThatThrownBy(() -> ComponentContract.checkShutdownWithoutStart(f, new Cfg(1), T))
        .hasMessage(
            "exporter \"bent\" [traces]: create failed: invalid config: limit_mib: must be greater"
                + " than zero");
  }

  @Test
  void aRunWithoutFactoriesFails() throws Throwable {
    ComponentContractTest empty =
        new ComponentContractTest() {
          @Override
          protected List<Factory<?>> factories() {
            return List.of();
          }
        };
    List<DynamicNode> nodes = empty.componentContract().collect(Collectors.toList());
    assertThat(nodes).hasSize(1);
    DynamicTest only = (DynamicTest) nodes.get(0);
    assertThat(only.getDisplayName()).isEqualTo("factories are found");
    assertThatThrownBy(() -> only.getExecutable().execute())
        .hasMessage(
            "no component factories found: check"
                + " META-INF/services/io.tiercel.core.component.Factory");
  }
}
