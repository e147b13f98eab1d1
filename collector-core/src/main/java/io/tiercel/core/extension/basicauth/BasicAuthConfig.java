package io.tiercel.core.extension.basicauth;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.OptionalSection;
import io.tiercel.core.config.Secret;
import io.tiercel.core.config.Validatable;
import org.jspecify.annotations.Nullable;

/**
 * Config of the {@code basicauth} extension, with the collector's keys: exactly one of {@code
 * htpasswd} (a server authenticator) and {@code client_auth} (a client authenticator).
 *
 * @param htpasswd the users a server lets in
 * @param clientAuth the credentials a client sends
 */
public record BasicAuthConfig(
    @OptionalSection @Nullable Htpasswd htpasswd, @OptionalSection @Nullable ClientAuth clientAuth)
    implements Validatable {
  public static final BasicAuthConfig DEFAULT = new BasicAuthConfig(null, null);

  @Override
  public void validate() {
    if (htpasswd != null && clientAuth != null) {
      throw new IllegalArgumentException(
          "only one of `htpasswd` or `client_auth` can be specified");
    }
    if (htpasswd == null && clientAuth == null) {
      throw new IllegalArgumentException("no credential source provided");
    }
  }

  /**
   * {@code htpasswd}: lines {@code user:password-hash} in the format of Apache's {@code htpasswd}
   * (MD5 {@code $apr1$}, {@code {SHA}}, {@code {SSHA}} or plain text).
   *
   * @param file an htpasswd file, read at start
   * @param inline htpasswd lines (a secret); they come after the file's, so a user in both gets the
   *     inline password
   */
  public record Htpasswd(@Nullable String file, @Nullable Secret inline) {
    public Htpasswd {
      if ((file == null || file.isBlank()) && (inline == null || inline.isEmpty())) {
        throw new InvalidValueException("file", "one of file or inline is required");
      }
    }
  }

  /**
   * {@code client_auth}: the credentials sent. A {@code *_file} is read at start and again when it
   * changes, and takes precedence over the inline value.
   *
   * @param username the user name
   * @param usernameFile a file holding the user name
   * @param password the password (a secret)
   * @param passwordFile a file holding the password
   */
  public record ClientAuth(
      @Nullable String username,
      @Nullable String usernameFile,
      @Nullable Secret password,
      @Nullable String passwordFile) {
    public ClientAuth {
      if (username != null && username.indexOf(':') >= 0) {
        throw new InvalidValueException("username", "must not contain ':'");
      }
    }
  }
}
