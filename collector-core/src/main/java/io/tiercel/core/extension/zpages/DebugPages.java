package io.tiercel.core.extension.zpages;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ServiceView;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.featuregate.Gate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The collector's zPages that apply to Tiercel, as plain HTML tables: {@code servicez} (build and
 * runtime, links to the others), {@code pipelinez}, {@code extensionz} (with {@code
 * ?zextensionname=<id>}) and {@code featurez}. The collector's {@code tracez} needs the collector's
 * own traces, which Tiercel does not record; {@code expvarz} is Go's.
 */
final class DebugPages {
  static final String PREFIX = "/debug/";

  private final BuildInfo build;
  private final Instant started;
  private final ServiceView service;
  private final StatusRegistry status;
  private final FeatureGates gates;

  DebugPages(
      BuildInfo build,
      Instant started,
      ServiceView service,
      StatusRegistry status,
      FeatureGates gates) {
    this.build = build;
    this.started = started;
    this.service = service;
    this.status = status;
    this.gates = gates;
  }

  /** The page at {@code /debug/<name>}, or null for none. */
  String page(String name, Map<String, String> query) {
    return switch (name) {
      case "servicez" -> servicez();
      case "pipelinez" -> pipelinez();
      case "extensionz" -> extensionz(query.get("zextensionname"));
      case "featurez" -> featurez();
      default -> null;
    };
  }

  private String servicez() {
    StringBuilder sb = head("Service " + build.command());
    table(
        sb,
        "Build Info",
        List.of("Property", "Value"),
        List.of(
            List.of("Command", build.command()),
            List.of("Description", build.description()),
            List.of("Version", build.version())));
    table(
        sb,
        "Runtime Info",
        List.of("Property", "Value"),
        List.of(
            List.of("StartTimestamp", started.toString()),
            List.of("Java", System.getProperty("java.version", "")),
            List.of("OS", System.getProperty("os.name", "")),
            List.of("Arch", System.getProperty("os.arch", ""))));
    sb.append("<h2><a href=\"pipelinez\">Pipelines</a></h2>\n")
        .append("<h2><a href=\"extensionz\">Extensions</a></h2>\n")
        .append("<h2><a href=\"featurez\">Features</a></h2>\n")
        .append("<h2><a href=\"/\">Live status</a></h2>\n");
    return foot(sb);
  }

  private String pipelinez() {
    StringBuilder sb = head("Pipelines");
    List<List<String>> rows = new ArrayList<>();
    for (ServiceView.Pipeline p : service.pipelines()) {
      rows.add(
          List.of(
              p.id(), p.signal(), join(p.receivers()), join(p.processors()), join(p.exporters())));
    }
    table(
        sb,
        "Pipelines",
        List.of("FullName", "InputType", "Receivers", "Processors", "Exporters"),
        rows);
    return foot(sb);
  }

  private String extensionz(String selected) {
    StringBuilder sb = head("Extensions");
    Map<String, StatusRegistry.Entry> st = status.snapshot();
    List<List<String>> rows = new ArrayList<>();
    for (String key : service.components().keySet()) {
      if (key.startsWith("extension/")) {
        StatusRegistry.Entry e = st.get(key);
        rows.add(List.of(key.substring("extension/".length()), e == null ? "" : e.status().name()));
      }
    }
    rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    table(sb, "Extensions", List.of("FullName", "Status"), rows);
    if (selected != null && !selected.isEmpty()) {
      sb.append("<h2>").append(html(selected)).append("</h2>\n");
    }
    return foot(sb);
  }

  private String featurez() {
    StringBuilder sb = head("Feature Gates");
    List<List<String>> rows = new ArrayList<>();
    for (Gate g : gates.gates()) {
      rows.add(
          List.of(
              g.id(),
              String.valueOf(gates.isEnabled(g)),
              g.stage().label(),
              g.description(),
              g.referenceUrl()));
    }
    table(sb, "Feature Gates", List.of("ID", "Enabled", "Stage", "Description", "Reference"), rows);
    return foot(sb);
  }

  private static String join(List<?> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }

  private static StringBuilder head(String title) {
    return new StringBuilder(4096)
        .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(html(title))
        .append("</title><style>body{font-family:sans-serif;margin:1em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 8px;")
        .append("text-align:left}</style></head><body>\n<h1>")
        .append(html(title))
        .append("</h1>\n");
  }

  private static String foot(StringBuilder sb) {
    return sb.append("</body></html>\n").toString();
  }

  private static void table(
      StringBuilder sb, String name, List<String> header, List<List<String>> rows) {
    sb.append("<h2>").append(html(name)).append("</h2>\n<table><tr>");
    for (String h : header) {
      sb.append("<th>").append(html(h)).append("</th>");
    }
    sb.append("</tr>\n");
    for (List<String> row : rows) {
      sb.append("<tr>");
      for (String c : row) {
        sb.append("<td>").append(html(c)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  static String html(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
