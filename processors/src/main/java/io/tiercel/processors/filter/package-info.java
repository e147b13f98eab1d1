/** The {@code filter} processor: drops telemetry matching OTTL conditions. */
package io.tiercel.processors.filter;
