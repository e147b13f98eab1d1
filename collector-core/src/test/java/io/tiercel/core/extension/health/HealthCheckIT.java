package io.tiercel.core.extension.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.component.StatusRegistry.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class HealthCheckIT {
  private final StatusRegistry status = new StatusRegistry();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HealthCheckExtension ext;

  @AfterEach
  void stop() throws Exception {
    if (ext != null) {
      ext.shutdown(Deadline.in(Duration.ofSeconds(1)));
    }
  }

  private HealthCheckExtension start(String path) throws Exception {
    Extension e =
        new HealthCheckExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, ComponentId.of("health_check"), null),
                new HealthCheckConfig("127.0.0.1:0", path));
    ext = (HealthCheckExtension) e;
    ext.start(
        new Host() {
          @Override
          public Map<ComponentId, Extension> extensions() {
            return Map.of();
          }

          @Override
          public StatusRegistry status() {
            return status;
          }
        });
    return ext;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ext.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answers200WhileEveryComponentIsUpAnd503NamingTheOnesThatAreNot() throws Exception {
    start("/health/status");
    status.report("receiver/otlp", Status.STARTING, null);
    status.report("exporter/kafka[traces]", Status.OK, null);

    HttpResponse<String> starting = get("/health/status");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body())
        .startsWith("{\"status\":\"Server not available\",\"upSince\":\"")
        .endsWith(",\"components\":{\"receiver/otlp\":{\"status\":\"starting\"}}}\n");

    status.report("receiver/otlp", Status.OK, null);
    HttpResponse<String> up = get("/health/status");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(up.body())
        .matches(
            "\\{\"status\":\"Server available\",\"upSince\":\"[^\"]+\",\"uptime\":\"[0-9.]+s\"}\n");

    status.report(
        "exporter/kafka[traces]",
        Status.RECOVERABLE_ERROR,
        new RuntimeException("broker \"b1\" down"));
    HttpResponse<String> down = get("/health/status");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body())
        .endsWith(
            ",\"components\":{\"exporter/kafka[traces]\":"
                + "{\"status\":\"recoverable_error\",\"error\":\"broker \\\"b1\\\" down\"}}}\n");

    assertThat(get("/other").statusCode()).isEqualTo(404);
  }

  @Test
  void shutdownIsIdempotentAndSafeWithoutStart() throws Exception {
    Extension e =
        new HealthCheckExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, ComponentId.of("health_check"), null),
                HealthCheckConfig.DEFAULT);
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
    start("/");
    int port = ext.port();
    ext.shutdown(Deadline.in(Duration.ofSeconds(1)));
    ext.shutdown(Deadline.in(Duration.ofSeconds(1)));
    assertThat(ext.port()).isEqualTo(-1);
    // the port is free again
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }
}
