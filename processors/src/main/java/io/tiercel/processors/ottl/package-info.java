/**
 * The OpenTelemetry Transformation Language: a compiler from statement and condition text to
 * immutable, thread-safe evaluators over OTLP protobuf messages and builders. Entry point: {@link
 * io.tiercel.processors.ottl.Ottl}, built with a {@link
 * io.tiercel.processors.ottl.func.FunctionRegistry} (usually {@code FunctionRegistry.standard()});
 * {@link io.tiercel.processors.ottl.Group} and {@link io.tiercel.processors.ottl.Errors} run
 * compiled statements with an error mode; {@link io.tiercel.processors.ottl.StatementGroup} is the
 * group entry the filter and transform processors bind, and {@link
 * io.tiercel.processors.ottl.CompiledEntries} lets their config records compile once.
 *
 * <p>The language's rooms, each depending only on those before it: {@code eval} (values, the
 * current item, compiled forms), {@code grammar} (lexer, parser, syntax tree), {@code context} (one
 * class per context: its paths and accessors), {@code func} (the function registry and the editors
 * and converters by family), {@code compile} (type checks, path resolution, function binding), then
 * this package.
 */
@NullMarked
package io.tiercel.processors.ottl;

import org.jspecify.annotations.NullMarked;
