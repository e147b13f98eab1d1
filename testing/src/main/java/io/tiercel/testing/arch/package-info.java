/**
 * Architecture rules every module's tests apply to their classpath: no module uses another module's
 * {@code internal} package.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.arch;
