package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The one check of component references, with its messages: the lists of a pipeline and {@code
 * service.extensions} name configured components, each once. {@link ConfigLoader} runs it on the
 * user's YAML (every error at once, at its path); {@link ServiceConfig} runs it on construction, so
 * no service is ever built from a config with a dangling or repeated reference.
 */
final class References {
  private References() {}

  /**
   * The ids of {@code ids} that name a configured component, in order, each once; every other is
   * reported at {@code path}: {@code references exporter "x" which is not configured}, or {@code
   * references exporter "x" more than once} (once per repeated id). {@code accepted} sees each id
   * that passes as it passes, so that a caller's further checks report in the list's order.
   */
  static List<ComponentId> check(
      Kind kind,
      List<ComponentId> ids,
      Predicate<ComponentId> configured,
      String path,
      List<ConfigError> errors,
      Consumer<ComponentId> accepted) {
    String label = kind.label();
    List<ComponentId> out = new ArrayList<>();
    Set<ComponentId> reported = new LinkedHashSet<>();
    for (ComponentId id : ids) {
      if (!configured.test(id)) {
        errors.add(
            new ConfigError(
                path, "references " + label + " \"" + id + "\" which is not configured"));
      } else if (out.contains(id)) {
        if (reported.add(id)) {
          errors.add(
              new ConfigError(path, "references " + label + " \"" + id + "\" more than once"));
        }
      } else {
        out.add(id);
        accepted.accept(id);
      }
    }
    return out;
  }
}
