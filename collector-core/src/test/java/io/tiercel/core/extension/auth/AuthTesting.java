package io.tiercel.core.extension.auth;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.StatusRegistry;
import java.util.List;
import java.util.Map;

/** Helpers for the authenticator tests. */
public final class AuthTesting {
  private AuthTesting() {}

  /** A host with the given started extensions. */
  public static Host host(Map<ComponentId, Extension> extensions) {
    StatusRegistry status = new StatusRegistry();
    return new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return extensions;
      }

      @Override
      public StatusRegistry status() {
        return status;
      }
    };
  }

  /** Headers with one value each. */
  public static Map<String, List<String>> headers(String... nameValue) {
    Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], List.of(nameValue[i + 1]));
    }
    return m;
  }
}
