/**
 * OTTL compilation: infers or checks the context of a statement or condition, resolves its paths
 * through {@code context}, binds and kind-checks function calls against the {@link
 * io.tiercel.processors.ottl.func.FunctionRegistry} it is given, and type-checks conditions. The
 * entry point {@link io.tiercel.processors.ottl.Ottl} drives it.
 */
@NullMarked
package io.tiercel.processors.ottl.compile;

import org.jspecify.annotations.NullMarked;
