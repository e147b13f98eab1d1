package io.tiercel.core.extension.zpages;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension in a running service (generator -> two file exporters, fan-out): the page, the JSON
 * growing between two reads, and the collector's zPages. Secrets: the browser test in
 * distributions, whose exporters have some.
 */
@Tag("integration")
class ZPagesIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dir;

  private HttpResponse<String> get(int port, String path, String method) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageTheGrowingJsonAndTheCollectorsZPagesWithoutSecrets() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yaml =
        Files.writeString(
            dir.resolve("c.yaml"),
            """
            receivers:
              generator: {rate: 2000, batch_size: 50}
            exporters:
              file: {path: %s}
              file/2: {path: %s}
            extensions:
              zpages: {endpoint: "127.0.0.1:%d"}
              file_storage: {directory: %s}
            service:
              extensions: [zpages, file_storage]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [generator], exporters: [file, file/2]}
                logs: {receivers: [generator], exporters: [file]}
            """
                .formatted(dir.resolve("t.json"), dir.resolve("t2.json"), port, dir));
    Service svc =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), n -> null)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    svc.start();
    try {
      HttpResponse<String> page = get(port, "/", "GET");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .startsWith("default-src 'none'");
      assertThat(page.body()).contains("<svg id=\"graph\"").doesNotContain("src=\"http");

      double first = acceptedTotal(awaitRates(port));
      Thread.sleep(1500);
      String second = awaitRates(port);
      assertThat(acceptedTotal(second)).isGreaterThan(first);
      assertThat(second)
          .contains("\"id\":\"receiver/generator\"")
          .contains("\"id\":\"exporter/file[traces]\"")
          .contains("\"id\":\"exporter/file/2[traces]\"")
          .contains("\"from\":\"receiver/generator\",\"to\":\"exporter/file/2[traces]\"")
          .contains("\"id\":\"exporter/file[logs]\"");

      assertThat(get(port, "/debug/servicez", "GET").body())
          .contains("<td>Command</td><td>tiercel</td>");
      assertThat(get(port, "/debug/pipelinez", "GET").body())
          .contains(
              "<td>traces</td><td>traces</td><td>generator</td><td></td><td>file, file/2</td>");
      assertThat(get(port, "/debug/extensionz?zextensionname=zpages", "GET").body())
          .contains("<td>zpages</td><td>OK</td>")
          .contains("<td>file_storage</td>")
          .contains("<h2>zpages</h2>");
      assertThat(get(port, "/debug/featurez", "GET").body()).contains("<th>Stage</th>");
      assertThat(get(port, "/debug/tracez", "GET").statusCode()).isEqualTo(404);
      assertThat(get(port, "/nothing", "GET").statusCode()).isEqualTo(404);
      HttpResponse<String> post = get(port, "/api/status", "POST");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    } finally {
      assertThat(svc.shutdown(Duration.ofSeconds(10))).isEmpty();
    }
  }

  /** The JSON once it has rates (two samples, about a second after start). */
  private String awaitRates(int port) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      HttpResponse<String> r = get(port, "/api/status", "GET");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      if (!r.body().contains("\"interval_seconds\":null") || System.nanoTime() > until) {
        return r.body();
      }
      Thread.sleep(200);
    }
  }

  private static double acceptedTotal(String json) {
    Matcher m =
        Pattern.compile("\"id\":\"receiver/generator\".*?\"totals\":\\{\"in\":([0-9.e+]+)")
            .matcher(json);
    assertThat(m.find()).as("receiver/generator totals in %s", json).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
