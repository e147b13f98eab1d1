package io.tiercel.core.extension.auth;

import java.util.Map;

/** An extension that gives an outgoing request its credentials. */
public interface ClientAuthenticator {
  /**
   * The headers (or gRPC metadata) to add to the next request, as they are now: a client asks for
   * every request, so credentials reloaded from a file take effect at once. Never blocks.
   */
  Map<String, String> requestHeaders();
}
