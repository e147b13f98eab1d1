package io.tiercel.otlp.exporter;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Host;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.exporterhelper.ExporterHelper;
import io.tiercel.core.extension.auth.AuthConfig;
import io.tiercel.core.extension.auth.Authenticators;
import io.tiercel.core.extension.auth.ClientAuthenticator;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * An OTLP exporter: a transport ({@link Transport}) behind the shared queue/retry/timeout helper.
 */
final class OtlpExporter<T extends OtlpData> implements Exporter<T> {
  /** One connection to the backend: opened at start, one attempt per send, closed at shutdown. */
  interface Transport<T extends OtlpData> extends io.tiercel.core.exporterhelper.Sender<T> {
    /** Connects; {@code auth} (or null) gives every request its credentials. */
    void open(@org.jspecify.annotations.Nullable ClientAuthenticator auth) throws Exception;

    void close(Deadline deadline) throws Exception;
  }

  private final Transport<T> transport;
  private final ExporterHelper<T> helper;
  private final String place;
  private final @org.jspecify.annotations.Nullable AuthConfig auth;

  /**
   * @param place the YAML path of the exporter's config, for errors ({@code exporters.otlp_grpc})
   * @param auth the client authenticator to look up at start, or null
   */
  OtlpExporter(
      Transport<T> transport,
      ExporterHelper<T> helper,
      String place,
      @org.jspecify.annotations.Nullable AuthConfig auth) {
    this.transport = transport;
    this.helper = helper;
    this.place = place;
    this.auth = auth;
  }

  @Override
  public void start(Host host) throws Exception {
    transport.open(auth == null ? null : Authenticators.client(host, place + ".auth", auth));
    helper.start(host);
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    return helper.consume(ctx, data);
  }

  @Override
  public boolean reportsOwnMetrics() {
    return true;
  }

  @Override
  public void shutdown(Deadline deadline) throws Exception {
    try {
      helper.shutdown(deadline);
    } finally {
      transport.close(deadline);
    }
  }
}
