/**
 * The {@code tail_sampling} processor: decides per whole trace, after its spans arrived, which
 * traces to keep.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.tailsampling;
