/**
 * The {@code batch} processor: joins requests into batches by size and time, and completes each
 * request's future only when every batch carrying a part of it has been exported.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.batch;
