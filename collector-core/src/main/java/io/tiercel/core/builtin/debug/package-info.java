/** The debug exporter: prints what reaches it. */
package io.tiercel.core.builtin.debug;
