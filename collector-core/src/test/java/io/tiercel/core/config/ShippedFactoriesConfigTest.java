package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every factory on the class path (ServiceLoader) has a config the binder can handle: its printed
 * default binds back to the same printed config. Catches config types the binder does not support.
 */
class ShippedFactoriesConfigTest {
  static Stream<Factory<?>> factories() {
    ComponentRegistry r = ComponentRegistry.load();
    List<Factory<?>> all = new ArrayList<>();
    for (Kind k : Kind.values()) {
      all.addAll(r.factories(k).values());
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void defaultConfigRoundTrips(Factory<?> f) {
    roundTrip(f);
  }

  private static <C extends Record> void roundTrip(Factory<C> f) {
    C def = f.createDefaultConfig();
    Map<String, Object> printed = ConfigBinder.toTree(def);
    List<ConfigError> errors = new ArrayList<>();
    C again =
        ConfigBinder.bind(
            f.configClass(), def, printed, f.kind().section() + "." + f.type(), errors);
    if (!errors.isEmpty()) {
      // only validate() may reject a default (a setting the user must give); the constructor must
      // not
      List<ConfigError> defaultErrors = new ArrayList<>();
      ConfigBinder.bind(f.configClass(), def, null, "", defaultErrors);
      assertThat(defaultErrors)
          .as("errors other than validate()'s: %s", errors)
          .hasSameSizeAs(errors);
      return;
    }
    assertThat(ConfigBinder.toTree(again)).isEqualTo(printed);
  }
}
