package io.tiercel.core.pdata;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP signals a pipeline can carry. Profiles are the collector's development-stage signal:
 * components opt into it one by one (see {@code signals()} of each factory).
 */
public enum Signal {
  TRACES("traces", "spans"),
  METRICS("metrics", "metric_points"),
  LOGS("logs", "log_records"),
  PROFILES("profiles", "profile_samples");

  private final String id;
  private final String itemName;

  Signal(String id, String itemName) {
    this.id = id;
    this.itemName = itemName;
  }

  /** The pipeline-id spelling: {@code traces}, {@code metrics}, {@code logs}, {@code profiles}. */
  public String id() {
    return id;
  }

  /**
   * The item noun used in the collector's metric names: {@code spans}, {@code metric_points},
   * {@code log_records}, {@code profile_samples} (a profile's items are its samples, as the
   * collector counts them).
   */
  public String itemName() {
    return itemName;
  }

  /** Parses a pipeline signal name; returns null when it is not one. */
  public static @Nullable Signal fromId(String s) {
    for (Signal sig : values()) {
      if (sig.id.equals(s.toLowerCase(Locale.ROOT))) {
        return sig;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id;
  }
}
