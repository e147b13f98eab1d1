package io.tiercel.otlp.receiver;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.MalformedDataException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one table from pipeline failures to gRPC and HTTP answers, following the OpenTelemetry
 * Collector's OTLP receiver: a retryable failure is {@code UNAVAILABLE}/503; a retryable failure
 * that asks for a throttle delay is {@code RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo},
 * and over HTTP 429 with {@code Retry-After}; a permanent failure (it carries no gRPC status) is
 * {@code INTERNAL}/500, as the collector answers it (a server-side failure); malformed input is
 * {@code INVALID_ARGUMENT}/400, also when a later stage found it malformed (a permanent failure
 * caused by a {@link MalformedDataException}): the client sent data that will never be accepted.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  /** A gRPC answer: the status and the trailers that carry its details. */
  record GrpcError(Status status, Metadata trailers) {}

  /** The gRPC status of a failed consume. */
  static GrpcError toGrpc(Throwable failure) {
    PipelineException pe = PipelineException.classify(failure);
    String message = messageOf(pe);
    if (pe instanceof RetryableException re) {
      Optional<Duration> throttle = re.throttle();
      if (throttle.isPresent()) {
        Duration d = throttle.get();
        com.google.rpc.Status st =
            com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                .setMessage(message)
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(d.getSeconds())
                                    .setNanos(d.getNano()))
                            .build()))
                .build();
        StatusRuntimeException e = StatusProto.toStatusRuntimeException(st);
        return new GrpcError(
            e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
      }
      return new GrpcError(Status.UNAVAILABLE.withDescription(message), new Metadata());
    }
    Status.Code code =
        causedByMalformedData(pe) ? Status.Code.INVALID_ARGUMENT : Status.Code.INTERNAL;
    return new GrpcError(Status.fromCode(code).withDescription(message), new Metadata());
  }

  private static boolean causedByMalformedData(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof MalformedDataException) {
        return true;
      }
    }
    return false;
  }

  /**
   * An HTTP answer: status code, the gRPC code of its {@code google.rpc.Status} body, and a
   * Retry-After or -1.
   */
  record HttpError(int httpStatus, int grpcCode, String message, long retryAfterSeconds) {}

  /** The HTTP answer of a failed consume. */
  static HttpError toHttp(Throwable failure) {
    GrpcError g = toGrpc(failure);
    long retryAfter = -1;
    PipelineException pe = PipelineException.classify(failure);
    if (pe instanceof RetryableException re && re.throttle().isPresent()) {
      Duration d = re.throttle().get();
      retryAfter = Math.max(1, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    }
    return new HttpError(
        httpStatus(g.status().getCode()),
        g.status().getCode().value(),
        g.status().getDescription(),
        retryAfter);
  }

  /** The collector's gRPC code to HTTP status table (OTLP/HTTP "Failures"). */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS -> 503;
      case RESOURCE_EXHAUSTED -> 429;
      case INVALID_ARGUMENT -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case UNIMPLEMENTED -> 404;
      default -> 500;
    };
  }

  /**
   * The gRPC code of the {@code google.rpc.Status} body of an HTTP error the receiver answers by
   * itself.
   */
  static Status.Code grpcCodeOfHttp(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.Code.INVALID_ARGUMENT;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.UNIMPLEMENTED;
      case 429 -> Status.Code.RESOURCE_EXHAUSTED;
      case 502, 503, 504 -> Status.Code.UNAVAILABLE;
      default -> Status.Code.UNKNOWN;
    };
  }

  private static String messageOf(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
