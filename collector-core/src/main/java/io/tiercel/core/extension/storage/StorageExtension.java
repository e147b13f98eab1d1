package io.tiercel.core.extension.storage;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An extension that gives components a private directory that survives restarts (the persistent
 * queue).
 */
public interface StorageExtension {
  /**
   * The directory owned by one component's use {@code name} (e.g. an exporter's traces queue),
   * created if missing. The same arguments give the same directory after a restart. Call after the
   * extension started.
   */
  Path directory(Kind kind, ComponentId component, String name) throws IOException;

  /** True when writes must be forced to the device before they count as stored. */
  boolean fsync();
}
