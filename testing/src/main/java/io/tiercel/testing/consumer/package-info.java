/** Test doubles for the next hop of a pipeline stage: a recording sink and a failing consumer. */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.consumer;
