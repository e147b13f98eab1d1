/**
 * The {@code memory_limiter} processor: refuses data with a retryable error while the JVM heap that
 * survives garbage collection is above the soft limit, with one limiter per component id shared by
 * every pipeline that names it.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.memorylimiter;
