/** Child JVMs for tests that kill -9 and restart a collector process, and condition waits. */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.process;
