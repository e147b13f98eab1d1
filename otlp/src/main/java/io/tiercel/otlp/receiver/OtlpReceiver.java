package io.tiercel.otlp.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.extension.auth.Authenticators;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The {@code otlp} receiver: one instance per receiver id serves, over gRPC and/or HTTP, every
 * signal that has a pipeline. Both servers share one bound on the requests in flight and one small
 * worker pool.
 */
final class OtlpReceiver implements Receiver {
  /**
   * Requests in flight per receiver (both protocols) before new ones are refused with UNAVAILABLE /
   * 503.
   */
  static final int DEFAULT_MAX_IN_FLIGHT = 256;

  /** Bytes of HTTP request bodies held at once per receiver before new data is refused with 503. */
  static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 256L * 1024 * 1024;

  private final Settings settings;
  private final OtlpReceiverConfig config;
  private final Intake intake;
  private final Logger logger;
  private final Object lock = new Object();
  private GrpcServer grpc; // guarded by lock
  private HttpServer http; // guarded by lock
  private boolean stopped; // guarded by lock

  OtlpReceiver(
      Settings settings,
      OtlpReceiverConfig config,
      Consumers consumers,
      int maxInFlight,
      long maxBytesInFlight) {
    this.settings = settings;
    this.config = config;
    this.logger = settings.logger();
    this.intake =
        new Intake(
            settings.id().toString().replace('/', '-'),
            consumers,
            maxInFlight,
            maxBytesInFlight,
            Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.intake.countRefusals(settings.metrics(), settings.id().toString());
  }

  @Override
  public void start(Host host) throws Exception {
    synchronized (lock) {
      if (stopped || grpc != null || http != null) {
        throw new IllegalStateException("receiver " + settings.id() + " was already started");
      }
      intake.start();
      try {
        OtlpReceiverConfig.Grpc g = config.protocols().grpc();
        OtlpReceiverConfig.Http h = config.protocols().http();
        String place = "receivers." + settings.id() + ".protocols.";
        // resolved before either server binds: a wrong id fails the start with nothing listening
        ServerAuthenticator grpcAuth =
            g == null || g.auth() == null
                ? null
                : Authenticators.server(host, place + "grpc.auth", g.auth());
        ServerAuthenticator httpAuth =
            h == null || h.auth() == null
                ? null
                : Authenticators.server(host, place + "http.auth", h.auth().config());
        if (g != null) {
          grpc =
              new GrpcServer(
                  g, intake, logger, settings.id().toString().replace('/', '-'), grpcAuth);
          grpc.start();
        }
        if (h != null) {
          http =
              new HttpServer(
                  h, intake, logger, settings.id().toString().replace('/', '-'), httpAuth);
          http.start();
        }
      } catch (Exception e) {
        shutdownLocked(Deadline.in(java.time.Duration.ofSeconds(5)));
        throw e;
      }
    }
  }

  /** Where gRPC listens (the real port when the config asked for port 0), or null. */
  InetSocketAddress grpcAddress() {
    synchronized (lock) {
      return grpc == null ? null : grpc.boundAddress();
    }
  }

  /** Where HTTP listens, or null. */
  InetSocketAddress httpAddress() {
    synchronized (lock) {
      return http == null ? null : http.boundAddress();
    }
  }

  /** Requests holding a permit now (tests). */
  int inFlightForTest() {
    return intake.inFlight();
  }

  /** Bytes of request bodies held now (tests). */
  long bytesInFlightForTest() {
    return intake.bytesInFlight();
  }

  @Override
  public void shutdown(Deadline deadline) throws Exception {
    synchronized (lock) {
      shutdownLocked(deadline);
    }
  }

  private void shutdownLocked(Deadline deadline) throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    logger.info(
        "Stopping OTLP receiver {}: {} request(s) in flight", settings.id(), intake.inFlight());
    List<Exception> errors = new ArrayList<>();
    // stop intake on both protocols first (no new connections, new requests refused), then let what
    // is in
    // flight finish, then close
    intake.close();
    if (http != null) {
      http.stopAccepting();
    }
    if (grpc != null) {
      grpc.stopAccepting();
    }
    try {
      if (!intake.shutdown(deadline)) {
        logger.warn(
            "OTLP receiver {}: {} request(s) still in flight at the shutdown deadline",
            settings.id(),
            intake.inFlight());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(e);
    }
    if (grpc != null) {
      try {
        grpc.awaitTermination(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        errors.add(e);
      }
    }
    if (http != null) {
      http.shutdown(deadline);
    }
    logger.info(
        "Stopped OTLP receiver {}{}",
        settings.id(),
        errors.isEmpty() ? "" : " with errors: " + errors);
    if (!errors.isEmpty()) {
      Exception first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
