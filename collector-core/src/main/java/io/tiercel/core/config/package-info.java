/**
 * Config loading, binding and validation, with the OpenTelemetry Collector's config shape and
 * rules.
 *
 * <h2>Sources, merge, {@code --set}</h2>
 *
 * {@link io.tiercel.core.config.ConfigLoader#loadRaw} reads each source in order: a file path or
 * {@code file:PATH}, {@code env:VAR} (YAML held in a variable), or {@code yaml:INLINE} ({@code
 * yaml:processors::batch::timeout: 2s}). YAML is parsed with SnakeYAML into plain maps, lists and
 * scalars (no Java type is ever created from a tag) by the YAML 1.2 core schema ({@code on}/{@code
 * yes} are strings), with ints read as Go's YAML reads them ({@code 0o17} and {@code 0123} are
 * octal, {@code 100_000} groups digits); a key written twice is an error naming both lines; a key
 * written {@code a::b::c} means nested maps. An empty source is an error. Sources deep-merge: maps
 * merge key by key, and everything else (lists included) is replaced by the later source. Then each
 * {@code --set key=value} is applied: the key is split on {@code ::} if it holds one, else on dots
 * ({@code exporters.file/out.path=x}; write {@code exporters::otlp/my.host::endpoint=...} when an
 * id holds a dot); the value is parsed as YAML.
 *
 * <h2>References</h2>
 *
 * Then, in string values (never keys): {@code ${env:VAR}} and {@code ${VAR}} are the variable,
 * {@code ${env:VAR:-default}} uses the default when the variable is unset (not when it is empty),
 * {@code $$} is a literal {@code $}; other schemes are errors, as is an unset variable without
 * default. A value that is exactly one reference is parsed as YAML, so {@code ${env:PORT}} binds to
 * an int field; the text is kept too ({@link io.tiercel.core.config.ExpandedValue}) so that a
 * string or {@link io.tiercel.core.config.Secret} field gets exactly what the variable holds.
 * Expanded text is not expanded again.
 *
 * <h2>Document</h2>
 *
 * {@link io.tiercel.core.config.ConfigLoader#resolve}: top-level keys are {@code receivers}, {@code
 * processors}, {@code exporters}, {@code connectors}, {@code extensions} and {@code service}.
 * Component ids are {@code type[/name]}; the type (or an alias) picks the factory, whose {@link
 * io.tiercel.core.component.Factory#createDefaultConfig()} is the base the YAML is laid over (a
 * component given as {@code name:} with nothing gets its defaults); see {@link
 * io.tiercel.core.config.ConfigBinder} for binding. No connector types exist yet. {@code service}
 * holds {@code extensions} (configured extensions), {@code pipelines} (at least one; ids {@code
 * traces|metrics|logs[/name]}, each with {@code receivers}, {@code processors}, {@code exporters}:
 * at least one receiver and one exporter, only configured components, no component twice, and only
 * components whose factory supports the pipeline's signal) and {@code telemetry} ({@code
 * metrics.level} none|basic|normal|detailed, {@code metrics.address} host:port or {@code
 * metrics.readers[0].pull.exporter.prometheus.host/port}, {@code logs.level} debug|info|warn|error,
 * {@code logs.encoding} console|json). Configured but unused components are fine.
 *
 * <h2>Errors</h2>
 *
 * Every problem is collected and thrown at once in a {@link
 * io.tiercel.core.config.ConfigException}, one {@link io.tiercel.core.config.ConfigError} per line,
 * as {@code path: message}; the path is the YAML keys joined with dots, list indexes in brackets
 * ({@code service.pipelines.traces.receivers[1]}); source and YAML errors have no path and start
 * with the source ({@code config.yaml: line 9: key "http" is already defined at line 7}). Messages
 * list the valid keys, types or values, and never show a secret's value.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.config;
