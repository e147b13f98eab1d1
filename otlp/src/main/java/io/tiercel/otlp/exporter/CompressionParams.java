package io.tiercel.otlp.exporter;

/**
 * {@code compression_params} of the {@code otlp_http} exporter (the collector's {@code
 * configcompression.CompressionParams}).
 *
 * @param level the compression level; 0 (unset) means the algorithm's default as the collector
 *     picks it: zlib's default (6) for gzip, zlib and deflate, the fastest level for zstd. gzip,
 *     zlib and deflate take -1 (default), -2 (Huffman only), 0 or 1 to 9; zstd takes any level and
 *     maps it as the collector's zstd library does (below 3: fastest, 3 to 5: default, 6 to 9:
 *     better, 10 and above: best); snappy and lz4 take none.
 */
public record CompressionParams(int level) {
  public static final CompressionParams DEFAULT = new CompressionParams(0);
}
