package io.tiercel.otlp.exporter;

/** Body encoding of the {@code otlp_http} exporter. */
public enum Encoding {
  /** {@code application/x-protobuf} (the default). */
  PROTO
}
