/**
 * The OTTL contexts ({@link io.tiercel.processors.ottl.context.OttlContext}): one {@code *Paths}
 * class per context with its fields and their accessors over messages (read) and builders (write),
 * and {@link io.tiercel.processors.ottl.context.Contexts#resolve} choosing among them. Depends on
 * {@code eval} and {@code grammar} (for compile errors) only.
 */
@NullMarked
package io.tiercel.processors.ottl.context;

import org.jspecify.annotations.NullMarked;
