/**
 * Small helpers with no knowledge of components or pipelines, shared by the whole collector:
 * component-named daemon threads, throttled logging, JSON string quoting and PEM reading.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.util;
