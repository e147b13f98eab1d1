package io.tiercel.otlp.exporter;

import io.tiercel.core.config.Key;

/**
 * Request compression of the OTLP exporters, with the collector's names ({@code
 * configcompression}). Every value is accepted by both exporters' configs; the {@code otlp_grpc}
 * exporter sends only {@link #GZIP}, {@link #SNAPPY} and {@link #ZSTD} (the gRPC message encodings
 * the collector registers) and refuses the others at validation, where the collector refuses them
 * when the exporter starts.
 */
public enum Compression {
  /** gzip (the default of both exporters). */
  GZIP,
  /** zlib format ({@code Content-Encoding: zlib}). */
  ZLIB,
  /**
   * zlib format under its HTTP name ({@code Content-Encoding: deflate}), as the collector sends it.
   */
  DEFLATE,
  /**
   * Snappy: the block format over HTTP; over gRPC the framed format, as the collector's gRPC
   * compressor writes it.
   */
  SNAPPY,
  /** Framed snappy over HTTP ({@code Content-Encoding: x-snappy-framed}). */
  @Key("x-snappy-framed")
  X_SNAPPY_FRAMED,
  /** Zstandard. */
  ZSTD,
  /** LZ4 frame format. */
  LZ4,
  /** No compression. */
  NONE;

  /** The encoding name on the wire ({@code Content-Encoding} / {@code grpc-encoding}). */
  public String wireName() {
    return this == X_SNAPPY_FRAMED ? "x-snappy-framed" : name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True for the values that compress (all but {@link #NONE}). */
  public boolean compresses() {
    return this != NONE;
  }
}
