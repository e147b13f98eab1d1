package io.tiercel.otlp.exporter;

/** Request compression of the OTLP exporters. */
public enum Compression {
  /** gzip (the default). */
  GZIP,
  /** No compression. */
  NONE
}
