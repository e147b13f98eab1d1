package io.tiercel.core.extension.auth;

import java.util.Optional;

/**
 * An extension that holds a bearer token for clients that are not HTTP or gRPC, such as the Kafka
 * client's SASL {@code OAUTHBEARER} login ({@code auth.sasl.oauthbearer_token_source}).
 */
public interface TokenSource {
  /**
   * The token as it is now, without a scheme, or empty when there is none (an empty or missing
   * token file). Read again for every login, so a reloaded file takes effect at the next one.
   */
  Optional<String> currentToken();
}
