/** The {@code health_check} extension: HTTP 200/503 from the components' reported status. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.health;
