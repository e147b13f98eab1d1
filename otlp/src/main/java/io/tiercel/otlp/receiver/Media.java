package io.tiercel.otlp.receiver;

import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.util.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The two OTLP/HTTP body encodings: how a request is read and how answers are written in it. */
enum Media {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String contentType;

  Media(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of answers in this encoding. */
  String contentType() {
    return contentType;
  }

  /**
   * The encoding of a {@code Content-Type} header (parameters ignored), or null when it is neither.
   */
  static Media of(String contentTypeHeader) {
    if (contentTypeHeader == null) {
      return null;
    }
    int semi = contentTypeHeader.indexOf(';');
    String mime =
        (semi < 0 ? contentTypeHeader : contentTypeHeader.substring(0, semi))
            .strip()
            .toLowerCase(Locale.ROOT);
    for (Media m : values()) {
      if (m.contentType.equals(mime)) {
        return m;
      }
    }
    return null;
  }

  /**
   * Decodes a request body and checks its structure in full: a protobuf body by one walk over every
   * nested message ({@link OtlpData#checkStructure()}), a JSON body by decoding it.
   *
   * @throws RuntimeException ({@code PermanentException} or {@code MalformedDataException}) when
   *     the body is not a valid request of {@code signal}
   */
  OtlpData decode(Signal signal, byte[] body) {
    OtlpData data =
        switch (this) {
          case PROTOBUF ->
              switch (signal) {
                case TRACES -> Traces.ofBytes(body);
                case METRICS -> Metrics.ofBytes(body);
                case LOGS -> Logs.ofBytes(body);
                case PROFILES -> Profiles.ofBytes(body);
              };
          case JSON -> JsonBodies.decode(signal, body);
        };
    if (this == PROTOBUF) {
      data.checkStructure(); // throws MalformedDataException naming the first problem
    } else {
      data.itemCount();
    }
    return data;
  }

  /** The body of a successful export: an empty {@code Export*ServiceResponse}. */
  byte[] emptyResponse() {
    return this == PROTOBUF ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code google.rpc.Status} body. */
  byte[] status(int code, String message) {
    if (this == PROTOBUF) {
      return com.google.rpc.Status.newBuilder()
          .setCode(code)
          .setMessage(message == null ? "" : message)
          .build()
          .toByteArray();
    }
    StringBuilder sb = new StringBuilder("{\"code\":").append(code);
    if (message != null && !message.isEmpty()) {
      sb.append(",\"message\":");
      JsonText.quote(sb, message);
    }
    return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }
}
