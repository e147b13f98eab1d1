package io.tiercel.core.component;

import io.tiercel.core.pdata.Signal;

/** Thrown by a factory asked for a signal its component does not handle. */
public final class SignalNotSupportedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SignalNotSupportedException(String type, Signal signal) {
    super("component type \"" + type + "\" does not support the " + signal + " signal");
  }
}
