package io.tiercel.kafka.common.encoding.zipkin;

import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Set;

/** The tag and attribute names of the Zipkin mapping (the collector's Zipkin translator's). */
final class ZipkinTags {
  private ZipkinTags() {}

  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAME_SOURCE = "otlp.service.name.source";
  static final String LIBRARY_NAME = "otel.library.name";
  static final String LIBRARY_VERSION = "otel.library.version";
  static final String STATUS_CODE = "otel.status_code";
  static final String STATUS_DESCRIPTION = "otel.status_description";
  static final String ERROR = "error";
  static final String SPAN_KIND = "span.kind";
  static final String W3C_TRACE_STATE = "w3c.tracestate";
  static final String START_TIME_ABSENT = "otel.zipkin.absentField.startTime";
  static final String NET_HOST_IP = "net.host.ip";
  static final String NET_HOST_PORT = "net.host.port";
  static final String NET_PEER_IP = "net.peer.ip";
  static final String NET_PEER_PORT = "net.peer.port";
  static final String PEER_SERVICE = "peer.service";

  /** Resource semantic-convention names besides {@code service.name}, by namespace. */
  private static final List<String> RESOURCE_PREFIXES =
      List.of(
          "service.",
          "telemetry.sdk.",
          "telemetry.auto.",
          "host.",
          "os.",
          "process.",
          "container.",
          "k8s.",
          "cloud.",
          "faas.",
          "deployment.");

  /** Span-level names inside those namespaces. */
  private static final Set<String> SPAN_KEYS = Set.of("peer.service");

  /**
   * True when a tag is a resource attribute in OTLP (the collector moves these to the resource).
   */
  static boolean isResourceKey(String key) {
    if (SPAN_KEYS.contains(key)) {
      return false;
    }
    for (String p : RESOURCE_PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** {@code otel.status_code}'s value, in the OTLP enum's spelling or the short one. */
  static Status.StatusCode statusCode(String value) {
    return switch (value) {
      case "STATUS_CODE_OK", "OK" -> Status.StatusCode.STATUS_CODE_OK;
      case "STATUS_CODE_ERROR", "ERROR" -> Status.StatusCode.STATUS_CODE_ERROR;
      default -> Status.StatusCode.STATUS_CODE_UNSET;
    };
  }
}
