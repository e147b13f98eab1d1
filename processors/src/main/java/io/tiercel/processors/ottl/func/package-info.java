/**
 * OTTL functions: the immutable {@link io.tiercel.processors.ottl.func.FunctionRegistry} the
 * compiler is given, and the standard editors and converters grouped by family (maps and lists,
 * replacing, strings, values, hashing, time, parsing, collections, and the span and metric
 * contexts' own functions). A function gets its arguments bound and kind-checked by the compiler
 * and builds a getter once per call site. Depends on {@code eval}, {@code grammar} and {@code
 * context}, never on {@code compile}.
 */
@NullMarked
package io.tiercel.processors.ottl.func;

import org.jspecify.annotations.NullMarked;
