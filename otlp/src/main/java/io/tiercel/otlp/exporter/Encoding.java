package io.tiercel.otlp.exporter;

/** Body encoding of the {@code otlp_http} exporter (the collector's {@code encoding}). */
public enum Encoding {
  /** Binary protobuf, {@code Content-Type: application/x-protobuf} (the default). */
  PROTO("application/x-protobuf"),
  /**
   * OTLP/JSON (the specification's JSON protobuf encoding), {@code Content-Type: application/json}.
   */
  JSON("application/json");

  private final String contentType;

  Encoding(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} of request bodies in this encoding. */
  public String contentType() {
    return contentType;
  }
}
