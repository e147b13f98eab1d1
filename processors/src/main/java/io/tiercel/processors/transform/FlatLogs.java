package io.tiercel.processors.transform;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code flatten_data}: before the statements run, every log record gets its own resource and scope
 * (copies of their attributes, the scope's name, version and schema URL, as the collector copies
 * them); after, records are regrouped under resources with equal attributes (in any order) and
 * scopes with equal attributes, name and version, in the order they first appear.
 */
final class FlatLogs {
  private FlatLogs() {}

  static LogsData flatten(LogsData in) {
    LogsData.Builder out = LogsData.newBuilder();
    for (ResourceLogs rl : in.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScope scope =
            InstrumentationScope.newBuilder()
                .setName(sl.getScope().getName())
                .setVersion(sl.getScope().getVersion())
                .addAllAttributes(sl.getScope().getAttributesList())
                .build();
        for (LogRecord lr : sl.getLogRecordsList()) {
          out.addResourceLogs(
              ResourceLogs.newBuilder()
                  .setResource(
                      Resource.newBuilder().addAllAttributes(rl.getResource().getAttributesList()))
                  .addScopeLogs(
                      ScopeLogs.newBuilder()
                          .setSchemaUrl(sl.getSchemaUrl())
                          .setScope(scope)
                          .addLogRecords(lr)));
        }
      }
    }
    return out.build();
  }

  static LogsData regroup(LogsData in) {
    Map<String, ResourceLogs.Builder> resources = new LinkedHashMap<>();
    for (ResourceLogs rl : in.getResourceLogsList()) {
      ResourceLogs.Builder into =
          resources.computeIfAbsent(
              key(rl.getResource().getAttributesList()), k -> rl.toBuilder().clearScopeLogs());
      into.addAllScopeLogs(rl.getScopeLogsList());
    }
    LogsData.Builder out = LogsData.newBuilder();
    for (ResourceLogs.Builder rl : resources.values()) {
      Map<String, ScopeLogs.Builder> scopes = new LinkedHashMap<>();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScope s = sl.getScope();
        String k = key(s.getAttributesList()) + "|" + s.getName() + "|" + s.getVersion();
        scopes
            .computeIfAbsent(k, x -> sl.toBuilder().clearLogRecords())
            .addAllLogRecords(sl.getLogRecordsList());
      }
      List<ScopeLogs> merged = new ArrayList<>();
      scopes.values().forEach(b -> merged.add(b.build()));
      out.addResourceLogs(rl.clearScopeLogs().addAllScopeLogs(merged));
    }
    return out.build();
  }

  private static String key(List<KeyValue> attributes) {
    return Values.toJson(new TreeMap<>(Values.fromKeyValues(attributes)));
  }
}
