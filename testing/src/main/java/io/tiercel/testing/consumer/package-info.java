/** Test doubles for the next hop of a pipeline stage: a recording sink and a failing consumer. */
package io.tiercel.testing.consumer;
