package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the repository's {@code bin/tiercel} launcher against this build (failsafe runs after {@code
 * package}, so {@code target/classes} and {@code target/lib} exist).
 */
@Tag("integration")
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "tiercel").toAbsolutePath().normalize();

  private record Result(int code, String out, String err) {}

  private static Result launch(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("tiercel-out", ".txt");
    Path err = Files.createTempFile("tiercel-err", ".txt");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void printsTheVersionAndTheComponentsOfThisBuild() throws Exception {
    assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
    Result v = launch(Map.of(), "--version");
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).matches("tiercel version \\S+\n");
    assertThat(v.err()).doesNotContain("running 'mvn"); // built already: no build step

    Result c = launch(Map.of(), "components");
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out())
        .startsWith("buildinfo:\n  command: tiercel\n")
        .contains("\nextensions:\n")
        .contains("\n  - name: health_check\n    stability:\n      extension: Beta\n");
  }

  @Test
  void passesJavaOptsToTheJvm() throws Exception {
    Result r = launch(Map.of("JAVA_OPTS", "-Dlog4j2.level=WARN -Xmx1m"), "--version");
    assertThat(r.code()).isNotZero();
    assertThat(r.out() + r.err()).contains("Too small maximum heap"); // the JVM saw -Xmx1m
  }

  @Test
  void aBadCommandLineIsAUsageError() throws Exception {
    Result r = launch(Map.of(), "frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }
}
