/** The generator receiver: synthetic traces, metrics and logs. */
package io.tiercel.core.builtin.generator;
