/**
 * What the OTLP receiver and exporters share on the wire: the gRPC message encodings the collector
 * registers beside gzip (zstd, snappy), and the collector's {@code configtls} settings turned into
 * JSSE/Netty TLS (versions, cipher suites, PEM sources, reloading).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.otlp.wire;
