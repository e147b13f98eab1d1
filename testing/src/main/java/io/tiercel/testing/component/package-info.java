/** The component contract every factory must pass, and a minimal host to start components with. */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.component;
