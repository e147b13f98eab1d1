package io.tiercel.core.service;

import java.util.List;

/**
 * The service could not be built or started. The message is a summary line followed by one line per
 * {@link LifecycleError} (every error found, not only the first).
 */
public final class ServiceException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<LifecycleError> errors;

  public ServiceException(String summary, List<LifecycleError> errors) {
    super(format(summary, errors), errors.isEmpty() ? null : errors.get(0).error());
    this.errors = List.copyOf(errors);
    for (int i = 1; i < this.errors.size(); i++) {
      addSuppressed(this.errors.get(i).error());
    }
  }

  private static String format(String summary, List<LifecycleError> errors) {
    StringBuilder sb = new StringBuilder(summary);
    for (LifecycleError e : errors) {
      sb.append("\n  ").append(e);
    }
    return sb.toString();
  }

  /** Every error, in the order found. */
  public List<LifecycleError> errors() {
    return errors;
  }
}
