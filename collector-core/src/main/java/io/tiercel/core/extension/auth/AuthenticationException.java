package io.tiercel.core.extension.auth;

/**
 * A request was not allowed in. The message says why without repeating any credential, so the
 * server can answer it to the client (gRPC {@code UNAUTHENTICATED}, HTTP 401) and log it.
 */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
