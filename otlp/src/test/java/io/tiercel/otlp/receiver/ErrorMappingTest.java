package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.MalformedDataException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
  @Test
  void retryableIsUnavailableAnd503() {
    ErrorMapping.HttpError h =
        ErrorMapping.toHttp(new CompletionException(new RetryableException("busy")));
    assertThat(h).isEqualTo(new ErrorMapping.HttpError(503, 14, "busy", -1));
    assertThat(ErrorMapping.toGrpc(new RetryableException("busy")).status().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void throttledIsResourceExhaustedAnd429WithRetryAfterRoundedUp() {
    ErrorMapping.HttpError h =
        ErrorMapping.toHttp(new RetryableException("slow", null, Duration.ofMillis(1200)));
    assertThat(h).isEqualTo(new ErrorMapping.HttpError(429, 8, "slow", 2));
    ErrorMapping.GrpcError g =
        ErrorMapping.toGrpc(new RetryableException("slow", null, Duration.ofSeconds(3)));
    assertThat(g.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(g.trailers().keys()).contains("grpc-status-details-bin");
  }

  @Test
  void permanentIsInternalAnd500() {
    assertThat(ErrorMapping.toHttp(new PermanentException("no")))
        .isEqualTo(new ErrorMapping.HttpError(500, 13, "no", -1));
  }

  @Test
  void aPermanentFailureCausedByMalformedDataIsInvalidArgumentAnd400() {
    var malformed = new MalformedDataException("malformed OTLP traces protobuf: truncated", null);
    ErrorMapping.HttpError h =
        ErrorMapping.toHttp(
            new CompletionException(new PermanentException(malformed.getMessage(), malformed)));
    assertThat(h)
        .isEqualTo(
            new ErrorMapping.HttpError(400, 3, "malformed OTLP traces protobuf: truncated", -1));
    assertThat(ErrorMapping.toGrpc(malformed).status().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void anUnclassifiedFailureIsRetryable() {
    assertThat(ErrorMapping.toHttp(new IllegalStateException("bug")).httpStatus()).isEqualTo(503);
  }

  @Test
  void grpcToHttpTable() {
    assertThat(ErrorMapping.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(ErrorMapping.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
    assertThat(ErrorMapping.httpStatus(Status.Code.PERMISSION_DENIED)).isEqualTo(403);
    assertThat(ErrorMapping.httpStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(404);
    assertThat(ErrorMapping.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(ErrorMapping.httpStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(503);
    assertThat(ErrorMapping.httpStatus(Status.Code.DATA_LOSS)).isEqualTo(503);
    assertThat(ErrorMapping.httpStatus(Status.Code.UNKNOWN)).isEqualTo(500);
    assertThat(ErrorMapping.grpcCodeOfHttp(413)).isEqualTo(Status.Code.UNKNOWN);
    assertThat(ErrorMapping.grpcCodeOfHttp(400)).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
