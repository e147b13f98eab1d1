package io.tiercel.core.service;

import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Traces;

/** Fresh copies of pipeline data for consumers that mutate what they receive. */
final class Copies {
  private Copies() {}

  /**
   * A copy that shares nothing mutable with {@code data}: the bytes are cloned when held (a memory
   * copy, no parsing); otherwise the immutable protobuf message is re-wrapped, so the copy's lazily
   * serialized bytes belong to it alone.
   */
  @SuppressWarnings("unchecked")
  static <T extends OtlpData> T copy(T data) {
    if (data instanceof Traces t) {
      return (T) (t.hasBytes() ? Traces.ofBytes(t.bytes().clone()) : Traces.of(t.message()));
    }
    if (data instanceof Metrics m) {
      return (T) (m.hasBytes() ? Metrics.ofBytes(m.bytes().clone()) : Metrics.of(m.message()));
    }
    if (data instanceof Profiles p) {
      return (T) (p.hasBytes() ? Profiles.ofBytes(p.bytes().clone()) : Profiles.of(p.message()));
    }
    Logs l = (Logs) data;
    return (T) (l.hasBytes() ? Logs.ofBytes(l.bytes().clone()) : Logs.of(l.message()));
  }
}
