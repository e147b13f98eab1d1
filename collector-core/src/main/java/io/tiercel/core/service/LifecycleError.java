package io.tiercel.core.service;

import java.util.Objects;

/**
 * One failure of the service's lifecycle: which component (its status key, e.g. {@code
 * receiver/otlp}, {@code exporter/kafka[traces]}, {@code processor/batch[traces/backend]}) and what
 * went wrong.
 *
 * @param component the component's status key, or {@code service} for the service itself
 * @param error the failure
 */
public record LifecycleError(String component, Throwable error) {
  public LifecycleError {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(error, "error");
  }

  /** The failure's message, or its class name when it has none. */
  public String message() {
    return error.getMessage() != null ? error.getMessage() : error.getClass().getName();
  }

  @Override
  public String toString() {
    return component + ": " + message();
  }
}
