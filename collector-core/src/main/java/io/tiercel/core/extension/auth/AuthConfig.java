package io.tiercel.core.extension.auth;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.config.InvalidValueException;
import org.jspecify.annotations.Nullable;

/**
 * {@code auth} of a server or client (the collector's {@code configauth.Config}): the id of the
 * authenticator extension to use. The extension is looked up when the component starts ({@link
 * Authenticators}), as in the collector, so {@code validate} accepts an id that start would refuse.
 *
 * @param authenticator the id of an authenticator extension listed in {@code service.extensions}
 */
public record AuthConfig(@Nullable ComponentId authenticator) {
  public AuthConfig {
    if (authenticator == null) {
      throw new InvalidValueException(
          "authenticator", "is required (the id of an authenticator extension)");
    }
  }

  /** The authenticator's id. */
  public ComponentId id() {
    return java.util.Objects.requireNonNull(authenticator);
  }
}
