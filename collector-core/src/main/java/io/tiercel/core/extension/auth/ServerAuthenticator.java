package io.tiercel.core.extension.auth;

import java.util.List;
import java.util.Map;

/** An extension that decides whether an incoming request may reach the pipeline. */
public interface ServerAuthenticator {
  /**
   * Checks the credentials in a request's headers (HTTP headers or gRPC metadata; names in any
   * case). Called on a server's network thread: it does no I/O and does not block.
   *
   * @param headers the request's headers, each with every value it had
   * @throws AuthenticationException when the request is not allowed in; its message is safe to send
   *     back to the client and to log (it never holds a credential)
   */
  void authenticate(Map<String, List<String>> headers) throws AuthenticationException;
}
