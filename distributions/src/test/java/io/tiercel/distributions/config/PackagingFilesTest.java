package io.tiercel.distributions.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What can be checked here of the files that cannot be run here: each Dockerfile starts from the
 * Temurin 17 JRE, runs as a non-root user, exposes exactly the ports its tier's default config
 * listens on, copies bin/ and lib/ (with lib/components.yaml) where the launcher looks, and starts
 * the tier's launcher; the systemd unit starts the ingestion launcher and accepts the JVM's SIGTERM
 * exit status.
 */
class PackagingFilesTest {
  private static final Pattern PORT =
      Pattern.compile("(?m)^\\s+(?:endpoint|address): 0\\.0\\.0\\.0:(\\d+)\\s*$");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ingestion", "processing"})
  void theDockerfileRunsTheTierAsNonRootOnItsPorts(String tier) throws IOException {
    String docker = Files.readString(Path.of("docker", "Dockerfile." + tier));
    List<String> instructions =
        docker
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith(" "))
            .map(l -> l.split(" ", 2)[0])
            .distinct()
            .toList();
    assertThat(instructions)
        .containsExactly("FROM", "RUN", "COPY", "ENV", "USER", "WORKDIR", "EXPOSE", "ENTRYPOINT");
    assertThat(docker)
        .contains(
            "FROM eclipse-temurin:17-jre\n",
            "USER 10001:10001\n",
            "ENTRYPOINT [\"/opt/tiercel/bin/tiercel-" + tier + "\"]\n",
            // the launcher finds the tier's component list next to the jars
            "COPY bin/ /opt/tiercel/bin/\n",
            "COPY lib/ /opt/tiercel/lib/\n");
    assertThat(Files.isExecutable(Path.of("bin", "tiercel-" + tier))).isTrue();

    TreeSet<String> exposed = new TreeSet<>();
    Matcher e = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(docker);
    while (e.find()) {
      exposed.addAll(Arrays.asList(e.group(1).trim().split("\\s+")));
    }
    TreeSet<String> listening = new TreeSet<>();
    Matcher m = PORT.matcher(Files.readString(Path.of("config", tier + ".yaml")));
    while (m.find()) {
      listening.add(m.group(1));
    }
    assertThat(exposed).isNotEmpty().isEqualTo(listening);
  }

  @Test
  void theSystemdUnitStartsTheIngestionLauncher() throws IOException {
    List<String> unit = Files.readAllLines(Path.of("systemd", "tiercel-ingestion.service"));
    assertThat(unit)
        .contains(
            "[Unit]",
            "[Service]",
            "[Install]",
            "ExecStart=/opt/tiercel-ingestion/bin/tiercel-ingestion",
            "User=tiercel",
            "SuccessExitStatus=143",
            "WantedBy=multi-user.target");
  }
}
