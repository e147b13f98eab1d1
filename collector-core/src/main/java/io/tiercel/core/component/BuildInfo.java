package io.tiercel.core.component;

/** What is running: the command name, a description, the version. */
public record BuildInfo(String command, String description, String version) {
  public static final BuildInfo DEFAULT =
      new BuildInfo(
          "tiercel",
          "Tiercel OpenTelemetry collector",
          BuildInfo.class.getPackage().getImplementationVersion() != null
              ? BuildInfo.class.getPackage().getImplementationVersion()
              : "0.1.0-SNAPSHOT");
}
