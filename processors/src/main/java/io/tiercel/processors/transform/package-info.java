/** The {@code transform} processor: modifies telemetry with OTTL statements. */
package io.tiercel.processors.transform;
