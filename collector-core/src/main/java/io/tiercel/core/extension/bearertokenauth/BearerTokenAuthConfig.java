package io.tiercel.core.extension.bearertokenauth;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.config.Validatable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Config of the {@code bearertokenauth} extension, with the collector's keys and defaults.
 *
 * @param header the header that carries the token ({@code Authorization})
 * @param scheme put before the token with a space ({@code Bearer}; empty: the token alone)
 * @param token the token (a secret)
 * @param tokens several tokens, any of which a server accepts; a client sends the first (secrets)
 * @param filename a file of tokens, one a line, read again when it changes; when set, {@code token}
 *     and {@code tokens} are ignored
 */
public record BearerTokenAuthConfig(
    String header,
    String scheme,
    @Nullable Secret token,
    List<Secret> tokens,
    @Nullable String filename)
    implements Validatable {
  public static final BearerTokenAuthConfig DEFAULT =
      new BearerTokenAuthConfig("Authorization", "Bearer", null, List.of(), null);

  public BearerTokenAuthConfig {
    header = header == null || header.isBlank() ? "Authorization" : header;
    scheme = scheme == null ? "Bearer" : scheme;
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    if (!header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new InvalidValueException("header", "\"" + header + "\" is not a header name");
    }
  }

  @Override
  public void validate() {
    boolean hasToken = token != null && !token.isEmpty();
    if (!hasToken && tokens.isEmpty() && (filename == null || filename.isBlank())) {
      throw new IllegalArgumentException("no bearer token provided");
    }
    if (hasToken && !tokens.isEmpty()) {
      throw new IllegalArgumentException("either tokens or token should be provided, not both");
    }
  }
}
