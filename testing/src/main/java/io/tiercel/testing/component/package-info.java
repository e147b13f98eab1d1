/** The component contract every factory must pass, and a minimal host to start components with. */
package io.tiercel.testing.component;
