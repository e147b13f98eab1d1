/** The {@code filter} processor: drops telemetry matching OTTL conditions. */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.filter;
