package io.tiercel.testing.component;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.StatusRegistry;
import java.util.Map;

/**
 * A minimal {@link Host} for starting components in tests: given extensions and a fresh status
 * registry.
 */
public final class TestHost implements Host {
  private final Map<ComponentId, Extension> extensions;
  private final StatusRegistry status = new StatusRegistry();

  private TestHost(Map<ComponentId, Extension> extensions) {
    this.extensions = Map.copyOf(extensions);
  }

  /** A host with no extensions. */
  public static TestHost create() {
    return new TestHost(Map.of());
  }

  /** A host offering these (already started) extensions. */
  public static TestHost withExtensions(Map<ComponentId, Extension> extensions) {
    return new TestHost(extensions);
  }

  @Override
  public Map<ComponentId, Extension> extensions() {
    return extensions;
  }

  @Override
  public StatusRegistry status() {
    return status;
  }
}
