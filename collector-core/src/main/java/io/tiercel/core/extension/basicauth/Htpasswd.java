package io.tiercel.core.extension.basicauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The users of an htpasswd text and a check of a password against them. Formats: Apache's MD5
 * ({@code $apr1$}) and the older MD5-crypt ({@code $1$}), {@code {SHA}}, {@code {SSHA}}, and plain
 * text. bcrypt and SHA-crypt lines are refused when the text is read, with the line number and the
 * user, so that a user never silently fails to log in. Immutable and thread-safe.
 */
final class Htpasswd {
  private static final String ITOA64 =
      "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Map<String, String> hashes;

  private Htpasswd(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
  }

  /**
   * Reads htpasswd lines; a user named twice keeps the later line. Blank lines and lines starting
   * with {@code #} are skipped.
   *
   * @param source what the text is, for messages ({@code htpasswd.file /etc/x}, {@code
   *     htpasswd.inline})
   * @throws IllegalArgumentException for a line that is not {@code user:hash} or uses a hash this
   *     build cannot check (the message names the line and the user, never the hash)
   */
  static Htpasswd parse(String source, String... texts) {
    Map<String, String> users = new HashMap<>();
    for (String text : texts) {
      String[] lines = text.split("\r?\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException(
              source + " line " + (i + 1) + ": expected user:password-hash");
        }
        String user = line.substring(0, colon);
        String hash = line.substring(colon + 1);
        if (hash.startsWith("$2") || hash.startsWith("$5$") || hash.startsWith("$6$")) {
          throw new IllegalArgumentException(
              source
                  + " line "
                  + (i + 1)
                  + " (user \""
                  + user
                  + "\"): bcrypt and SHA-crypt hashes are not supported; use MD5 (htpasswd -m),"
                  + " SHA-1 (htpasswd -s) or plain text");
        }
        users.put(user, hash);
      }
    }
    return new Htpasswd(users);
  }

  /** The number of users. */
  int size() {
    return hashes.size();
  }

  /** True when {@code user} is listed and {@code password} matches its hash. */
  boolean matches(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null) {
      return false;
    }
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    String computed;
    if (hash.startsWith("$apr1$")) {
      computed = md5Crypt(pw, hash, "$apr1$");
    } else if (hash.startsWith("$1$")) {
      computed = md5Crypt(pw, hash, "$1$");
    } else if (hash.startsWith("{SHA}")) {
      computed = "{SHA}" + Base64.getEncoder().encodeToString(digest("SHA-1", pw));
    } else if (hash.startsWith("{SSHA}")) {
      byte[] stored;
      try {
        stored = Base64.getDecoder().decode(hash.substring(6));
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (stored.length <= 20) {
        return false;
      }
      byte[] salt = Arrays.copyOfRange(stored, 20, stored.length);
      byte[] salted = Arrays.copyOf(pw, pw.length + salt.length);
      System.arraycopy(salt, 0, salted, pw.length, salt.length);
      byte[] d = digest("SHA-1", salted);
      return MessageDigest.isEqual(d, Arrays.copyOf(stored, 20));
    } else {
      computed = password;
    }
    return MessageDigest.isEqual(
        computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
  }

  /** MD5-crypt (Poul-Henning Kamp's algorithm; Apache's variant differs only in the magic). */
  static String md5Crypt(byte[] pw, String setting, String magic) {
    String rest = setting.substring(magic.length());
    int end = rest.indexOf('$');
    String saltText = end >= 0 ? rest.substring(0, end) : rest;
    if (saltText.length() > 8) {
      saltText = saltText.substring(0, 8);
    }
    byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);
    byte[] magicBytes = magic.getBytes(StandardCharsets.UTF_8);
    MessageDigest ctx = md5();
    ctx.update(pw);
    ctx.update(magicBytes);
    ctx.update(salt);
    MessageDigest alt = md5();
    alt.update(pw);
    alt.update(salt);
    alt.update(pw);
    byte[] f = alt.digest();
    for (int left = pw.length; left > 0; left -= 16) {
      ctx.update(f, 0, Math.min(left, 16));
    }
    for (int i = pw.length; i != 0; i >>>= 1) {
      if ((i & 1) != 0) {
        ctx.update((byte) 0);
      } else {
        ctx.update(pw.length > 0 ? pw[0] : (byte) 0);
      }
    }
    f = ctx.digest();
    for (int i = 0; i < 1000; i++) {
      MessageDigest r = md5();
      if ((i & 1) != 0) {
        r.update(pw);
      } else {
        r.update(f);
      }
      if (i % 3 != 0) {
        r.update(salt);
      }
      if (i % 7 != 0) {
        r.update(pw);
      }
      if ((i & 1) != 0) {
        r.update(f);
      } else {
        r.update(pw);
      }
      f = r.digest();
    }
    StringBuilder out = new StringBuilder(magic).append(saltText).append('$');
    to64(out, (b(f, 0) << 16) | (b(f, 6) << 8) | b(f, 12), 4);
    to64(out, (b(f, 1) << 16) | (b(f, 7) << 8) | b(f, 13), 4);
    to64(out, (b(f, 2) << 16) | (b(f, 8) << 8) | b(f, 14), 4);
    to64(out, (b(f, 3) << 16) | (b(f, 9) << 8) | b(f, 15), 4);
    to64(out, (b(f, 4) << 16) | (b(f, 10) << 8) | b(f, 5), 4);
    to64(out, b(f, 11), 2);
    return out.toString();
  }

  private static int b(byte[] f, int i) {
    return f[i] & 0xff;
  }

  private static void to64(StringBuilder out, int v, int n) {
    for (int i = 0; i < n; i++) {
      out.append(ITOA64.charAt(v & 0x3f));
      v >>>= 6;
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }
}
