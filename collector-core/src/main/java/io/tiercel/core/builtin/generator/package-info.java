/** The generator receiver: synthetic traces, metrics and logs. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.builtin.generator;
