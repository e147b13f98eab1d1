package io.tiercel.testing.component;

import io.tiercel.core.component.Component;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.ReceiverFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SignalNotSupportedException;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Validatable;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import io.tiercel.testing.TestProfiles;
import io.tiercel.testing.consumer.RecordingSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The checks every component factory must pass (STYLE.md rule 32), each throwing an {@link
 * AssertionError} that names the factory and what is wrong. {@link ComponentContractTest} runs them
 * as dynamic tests; they are public so that a module can run one check on its own.
 */
public final class ComponentContract {
  /** {@code lower_snake_case}, at most 63 characters: the component type rule. */
  public static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");

  private static final Pattern ALIAS = Pattern.compile("^[a-zA-Z][0-9a-zA-Z_]{0,62}$");

  private ComponentContract() {}

  /** A readable name: {@code exporter "file"}. */
  public static String describe(Factory<?> f) {
    return f.kind().label() + " \"" + f.type() + "\"";
  }

  /**
   * The type is {@code lower_snake_case} (at most 63 characters); aliases are valid, distinct type
   * names.
   */
  public static void checkType(Factory<?> f) {
    String type = f.type();
    if (type == null || type.length() > 63 || !TYPE.matcher(type).matches()) {
      throw new AssertionError(
          f.kind().label()
              + " type \""
              + type
              + "\" of "
              + f.getClass().getName()
              + " is not lower_snake_case (a lowercase letter, then lowercase letters, digits and"
              + " single '_')");
    }
    for (String alias : f.aliases()) {
      if (!ALIAS.matcher(alias).matches() || alias.equals(type)) {
        throw new AssertionError(describe(f) + " has an invalid alias \"" + alias + "\"");
      }
    }
  }

  /**
   * {@code createDefaultConfig()} returns a record of {@code configClass()}, and two calls return
   * equal records (defaults do not depend on time or state).
   */
  public static void checkDefaultConfig(Factory<?> f) {
    Class<?> cls = f.configClass();
    if (cls == null || !cls.isRecord()) {
      throw new AssertionError(describe(f) + ": configClass() " + cls + " is not a record class");
    }
    Record a = f.createDefaultConfig();
    if (a == null) {
      throw new AssertionError(describe(f) + ": createDefaultConfig() returned null");
    }
    if (!cls.isInstance(a)) {
      throw new AssertionError(
          describe(f)
              + ": createDefaultConfig() returned a "
              + a.getClass().getName()
              + ", not a "
              + cls.getName());
    }
    Record b = f.createDefaultConfig();
    if (!a.equals(b)) {
      throw new AssertionError(
          describe(f) + ": createDefaultConfig() is not deterministic: " + a + " != " + b);
    }
  }

  /**
   * The default config printed as YAML ({@link ConfigBinder#toTree}) binds back to the same printed
   * config, so every field has a type the config binder supports. A default that only {@link
   * Validatable#validate()} rejects (a setting the user must give) passes.
   */
  public static void checkConfigBinds(Factory<?> f) {
    bindBack(f);
  }

  private static <C extends Record> void bindBack(Factory<C> f) {
    C defaults = f.createDefaultConfig();
    Map<String, Object> printed;
    try {
      printed = ConfigBinder.toTree(defaults);
    } catch (RuntimeException e) {
      throw new AssertionError(describe(f) + ": the default config cannot be printed: " + e, e);
    }
    String path = f.kind().section() + "." + f.type();
    List<ConfigError> errors = new ArrayList<>();
    C again = ConfigBinder.bind(f.configClass(), defaults, printed, path, errors);
    if (!errors.isEmpty()) {
      List<ConfigError> validateOnly = new ArrayList<>();
      ConfigBinder.bind(f.configClass(), defaults, null, path, validateOnly);
      if (validateOnly.size() != errors.size()) {
        throw new AssertionError(
            describe(f) + ": the printed default config does not bind: " + errors);
      }
      return;
    }
    Map<String, Object> reprinted = ConfigBinder.toTree(again);
    if (!reprinted.equals(printed)) {
      throw new AssertionError(
          describe(f)
              + ": the default config changes through YAML: "
              + printed
              + " became "
              + reprinted);
    }
  }

  /** The signals a receiver, processor or exporter factory declares (empty for extensions). */
  public static Set<Signal> supportedSignals(Factory<?> f) {
    Map<Signal, Stability> m =
        switch (f.kind()) {
          case RECEIVER -> ((ReceiverFactory<?>) f).signals();
          case PROCESSOR -> ((ProcessorFactory<?>) f).signals();
          case EXPORTER -> ((ExporterFactory<?>) f).signals();
          case EXTENSION -> Map.of();
        };
    return m.isEmpty() ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(m.keySet());
  }

  /**
   * A receiver, processor or exporter declares at least one signal with a stability; creating each
   * declared signal returns a component; creating any other signal throws {@link
   * SignalNotSupportedException}. An extension factory creates an extension. Nothing is started.
   */
  public static void checkSignals(Factory<?> f, Record config) {
    if (f.kind() == Kind.EXTENSION) {
      shutdownQuietly(create(f, null, config, null));
      return;
    }
    Map<Signal, Stability> declared =
        switch (f.kind()) {
          case RECEIVER -> ((ReceiverFactory<?>) f).signals();
          case PROCESSOR -> ((ProcessorFactory<?>) f).signals();
          default -> ((ExporterFactory<?>) f).signals();
        };
    if (declared == null || declared.isEmpty()) {
      throw new AssertionError(describe(f) + " declares no signals");
    }
    declared.forEach(
        (s, st) -> {
          if (st == null) {
            throw new AssertionError(
                describe(f) + " declares the " + s + " signal without a stability");
          }
        });
    for (Signal s : Signal.values()) {
      if (declared.containsKey(s)) {
        Component c = create(f, s, config, RecordingSink.create());
        shutdownQuietly(c);
      } else {
        try {
          Component c = create(f, s, config, RecordingSink.create());
          shutdownQuietly(c);
          throw new AssertionError(
              describe(f)
                  + " does not declare the "
                  + s
                  + " signal but creating it did not throw SignalNotSupportedException");
        } catch (SignalNotSupportedException expected) {
          // the contract
        }
      }
    }
  }

  /**
   * For every signal (or once, for receivers and extensions): create, then shut down twice without
   * start.
   */
  public static void checkShutdownWithoutStart(Factory<?> f, Record config, Duration timeout) {
    for (Signal s : instanceSignals(f)) {
      Component c = create(f, s, config, RecordingSink.create());
      for (int i = 1; i <= 2; i++) {
        try {
          c.shutdown(Deadline.in(timeout));
        } catch (Exception | AssertionError e) {
          throw new AssertionError(
              describe(f) + label(s) + ": shutdown #" + i + " without start threw " + e, e);
        }
      }
    }
  }

  /**
   * Create, start with a {@link TestHost}, consume read-only data (processors and exporters: the
   * signal's {@link TestData} twice, once as a parsed message and once as bytes), shut down, shut
   * down again.
   *
   * <p>Every consume future must be done once shutdown returned (a buffering stage flushes or fails
   * what it holds), and a failed one must carry a {@link PipelineException}. Data must not be
   * modified unless the component says {@code mutatesData()}. Receivers get {@link RecordingSink}s
   * for all their signals.
   *
   * @param s the signal to test (ignored for receivers and extensions)
   */
  public static void checkLifecycle(Factory<?> f, Record config, Signal s, Duration timeout) {
    String who = describe(f) + label(s);
    List<RecordingSink<OtlpData>> sinks = new ArrayList<>();
    Component c;
    if (f.kind() == Kind.RECEIVER) {
      c = createReceiver((ReceiverFactory<?>) f, config, supportedSignals(f), sinks);
    } else {
      RecordingSink<OtlpData> sink = RecordingSink.create();
      sinks.add(sink);
      c = create(f, s, config, sink);
    }
    try {
      c.start(TestHost.create());
    } catch (Exception | AssertionError e) {
      shutdownQuietly(c);
      throw new AssertionError(who + ": start failed: " + e, e);
    }
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    List<OtlpData> sent = new ArrayList<>();
    List<byte[]> before = new ArrayList<>();
    boolean consumes = c instanceof TelemetryConsumer<?>;
    try {
      if (consumes) {
        @SuppressWarnings("unchecked")
        TelemetryConsumer<OtlpData> consumer = (TelemetryConsumer<OtlpData>) c;
        for (boolean asBytes : new boolean[] {false, true}) {
          OtlpData data = sample(s, asBytes);
          sent.add(data);
          before.add(data.bytes().clone());
          try {
            futures.add(consumer.consume(Context.EMPTY, data));
          } catch (RuntimeException e) {
            throw new AssertionError(
                who + ": consume threw instead of returning a future: " + e, e);
          }
        }
        // give asynchronous stages the chance to complete before shutdown; buffering ones finish at
        // shutdown
        awaitQuietly(futures, Duration.ofMillis(Math.min(200, timeout.toMillis())));
      }
    } catch (AssertionError e) {
      shutdownQuietly(c);
      throw e;
    }
    for (int i = 1; i <= 2; i++) {
      try {
        c.shutdown(Deadline.in(timeout));
      } catch (Exception | AssertionError e) {
        throw new AssertionError(who + ": shutdown #" + i + " after start threw " + e, e);
      }
    }
    if (!consumes) {
      return;
    }
    awaitQuietly(futures, timeout);
    for (int i = 0; i < futures.size(); i++) {
      CompletableFuture<Void> fut = futures.get(i);
      if (!fut.isDone()) {
        throw new AssertionError(
            who
                + ": consume future #"
                + (i + 1)
                + " is still pending "
                + timeout.toMillis()
                + " ms after shutdown returned");
      }
      if (fut.isCompletedExceptionally()) {
        Throwable cause = failure(fut);
        if (!(PipelineException.unwrap(cause) instanceof PipelineException)) {
          throw new AssertionError(
              who
                  + ": consume future #"
                  + (i + 1)
                  + " failed with "
                  + PipelineException.unwrap(cause)
                  + ", not a RetryableException or "
                  + "PermanentException",
              cause);
        }
      }
    }
    if (!((TelemetryConsumer<?>) c).mutatesData()) {
      for (int i = 0; i < sent.size(); i++) {
        if (!Arrays.equals(before.get(i), sent.get(i).bytes())) {
          throw new AssertionError(
              who
                  + ": modified the data it consumed (#"
                  + (i + 1)
                  + ") but mutatesData() is false");
        }
      }
    }
  }

  /**
   * The config the contract tests a factory with: the hook's (which must pass {@link
   * Validatable#validate()} when the record is {@link Validatable}), or the default one.
   */
  public static Record configFor(Factory<?> f, ContractConfig contract, Path tempDir) {
    Record defaults = f.createDefaultConfig();
    ContractConfig.ConfigHook hook = contract.config(f.kind(), f.type());
    if (hook == null) {
      return defaults;
    }
    try {
      Record r = hook.create(defaults, tempDir);
      if (!f.configClass().isInstance(r)) {
        throw new AssertionError(
            "the contract config for "
                + describe(f)
                + " is a "
                + (r == null ? "null" : r.getClass().getName())
                + ", not a "
                + f.configClass().getName());
      }
      if (r instanceof Validatable v) {
        // a hook's config stands for a complete user config: it must pass the loader's checks
        v.validate();
      }
      return r;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(
          "the contract config for " + describe(f) + " failed: " + explain(e), e);
    }
  }

  /**
   * Signals to create instances for: every declared one for processors/exporters, one null
   * otherwise.
   */
  static List<Signal> instanceSignals(Factory<?> f) {
    if (f.kind() == Kind.PROCESSOR || f.kind() == Kind.EXPORTER) {
      return List.copyOf(supportedSignals(f));
    }
    return Arrays.asList((Signal) null);
  }

  static OtlpData sample(Signal s, boolean asBytes) {
    OtlpData d =
        switch (s) {
          case TRACES -> TestData.traces(3, 4, 11);
          case METRICS -> TestData.metrics(3, 2, 11);
          case LOGS -> TestData.logs(5, 11);
          case PROFILES -> TestProfiles.profiles(2, 11, 11);
        };
    if (!asBytes) {
      return d;
    }
    byte[] b = d.bytes().clone();
    return switch (s) {
      case TRACES -> Traces.ofBytes(b);
      case METRICS -> Metrics.ofBytes(b);
      case LOGS -> Logs.ofBytes(b);
      case PROFILES -> Profiles.ofBytes(b);
    };
  }

  /**
   * Creates one component: a processor or exporter for {@code s} (a processor feeding {@code
   * next}), a receiver feeding {@code next} for {@code s} only, or an extension. Failures other
   * than {@link SignalNotSupportedException} become {@link AssertionError}s naming the factory.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Component create(Factory<?> f, Signal s, Record config, RecordingSink<?> next) {
    String who = describe(f) + label(s);
    Settings settings =
        Settings.forTest(
            f.kind(),
            ComponentId.of(f.type()),
            f.kind() == Kind.PROCESSOR || f.kind() == Kind.EXPORTER ? s : null);
    Component c;
    try {
      if (f instanceof ExporterFactory ef) {
        c =
            switch (s) {
              case TRACES -> (Exporter<?>) ef.createTraces(settings, config);
              case METRICS -> (Exporter<?>) ef.createMetrics(settings, config);
              case LOGS -> (Exporter<?>) ef.createLogs(settings, config);
              case PROFILES -> (Exporter<?>) ef.createProfiles(settings, config);
            };
      } else if (f instanceof ProcessorFactory pf) {
        TelemetryConsumer n = (TelemetryConsumer) next;
        c =
            switch (s) {
              case TRACES -> (Processor<?>) pf.createTraces(settings, config, n);
              case METRICS -> (Processor<?>) pf.createMetrics(settings, config, n);
              case LOGS -> (Processor<?>) pf.createLogs(settings, config, n);
              case PROFILES -> (Processor<?>) pf.createProfiles(settings, config, n);
            };
      } else if (f instanceof ReceiverFactory rf) {
        TelemetryConsumer n = (TelemetryConsumer) next;
        Consumers consumers =
            s == null
                ? new Consumers(null, null, null)
                : new Consumers(
                    s == Signal.TRACES ? n : null,
                    s == Signal.METRICS ? n : null,
                    s == Signal.LOGS ? n : null,
                    s == Signal.PROFILES ? n : null);
        c = rf.create(settings, config, consumers);
      } else {
        c = ((ExtensionFactory) f).create(settings, config);
      }
    } catch (SignalNotSupportedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AssertionError(who + ": create failed: " + explain(e), e);
    }
    if (c == null) {
      throw new AssertionError(who + ": the factory returned null");
    }
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Component createReceiver(
      ReceiverFactory<?> f,
      Record config,
      Set<Signal> signals,
      List<RecordingSink<OtlpData>> sinks) {
    TelemetryConsumer[] bySignal = new TelemetryConsumer[Signal.values().length];
    for (Signal s : signals) {
      RecordingSink<OtlpData> sink = RecordingSink.create();
      sinks.add(sink);
      bySignal[s.ordinal()] = sink;
    }
    Settings settings = Settings.forTest(Kind.RECEIVER, ComponentId.of(f.type()), null);
    try {
      Component c =
          ((ReceiverFactory) f)
              .create(
                  settings,
                  config,
                  new Consumers(bySignal[0], bySignal[1], bySignal[2], bySignal[3]));
      if (c == null) {
        throw new AssertionError(describe(f) + ": the factory returned null");
      }
      return c;
    } catch (RuntimeException e) {
      throw new AssertionError(
          describe(f) + ": create with " + signals + " failed: " + explain(e), e);
    }
  }

  /**
   * The exception, with the YAML key of an {@link InvalidValueException} (which its message leaves
   * out).
   */
  static String explain(Throwable e) {
    if (e instanceof InvalidValueException ive) {
      return "invalid config: " + ive.key() + ": " + ive.getMessage();
    }
    return e.toString();
  }

  private static String label(Signal s) {
    return s == null ? "" : " [" + s + "]";
  }

  private static void shutdownQuietly(Component c) {
    try {
      c.shutdown(Deadline.in(Duration.ofSeconds(5)));
    } catch (Exception | AssertionError ignored) {
      // the check that matters already failed, or a later check covers shutdown
    }
  }

  private static void awaitQuietly(List<CompletableFuture<Void>> futures, Duration timeout) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // judged afterwards, one future at a time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Throwable failure(CompletableFuture<Void> f) {
    try {
      f.join();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
