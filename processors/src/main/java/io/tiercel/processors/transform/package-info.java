/** The {@code transform} processor: modifies telemetry with OTTL statements. */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.transform;
