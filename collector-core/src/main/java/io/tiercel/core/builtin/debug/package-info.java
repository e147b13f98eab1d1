/** The debug exporter: prints what reaches it. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.builtin.debug;
