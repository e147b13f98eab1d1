/** Child JVMs for tests that kill -9 and restart a collector process, and condition waits. */
package io.tiercel.testing.process;
