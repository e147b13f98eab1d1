package io.tiercel.otlp.wire;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presents the configured certificate and rereads its files when {@code reload_interval} has passed
 * since the last read (checked when a handshake picks its certificate, as the collector's reloader
 * does). A failed reread keeps the certificate in use and is logged. Aliases carry the generation
 * of the certificate they name, so a handshake that started before a reread gets its chain and key
 * from the same generation. Thread-safe.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

  /** Loads the key managers from the configured files or PEM text. */
  @FunctionalInterface
  interface Loader {
    KeyManager[] load() throws IOException, GeneralSecurityException;
  }

  private record Generation(int number, X509KeyManager delegate) {}

  private final Loader loader;
  private final @Nullable Duration every;
  private final Object lock = new Object();
  private volatile Generation current;
  private volatile @Nullable Generation previous;
  private volatile long nextReloadNanos;

  ReloadingKeyManager(Loader loader, @Nullable Duration every)
      throws IOException, GeneralSecurityException {
    this.loader = loader;
    this.every = every;
    this.current = new Generation(0, x509(loader.load()));
    this.nextReloadNanos = every == null ? Long.MAX_VALUE : System.nanoTime() + every.toNanos();
  }

  private static X509KeyManager x509(KeyManager[] kms) throws GeneralSecurityException {
    for (KeyManager km : kms) {
      if (km instanceof X509KeyManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 key manager available");
  }

  private Generation fresh() {
    Duration e = every;
    if (e != null && System.nanoTime() - nextReloadNanos >= 0) {
      synchronized (lock) {
        if (System.nanoTime() - nextReloadNanos >= 0) {
          nextReloadNanos = System.nanoTime() + e.toNanos();
          try {
            Generation g = new Generation(current.number() + 1, x509(loader.load()));
            previous = current;
            current = g;
          } catch (IOException | GeneralSecurityException | RuntimeException failed) {
            LOG.warn(
                "TLS certificate reload failed; the previous certificate stays in use", failed);
          }
        }
      }
    }
    return current;
  }

  private static @Nullable String tag(Generation g, @Nullable String alias) {
    return alias == null ? null : g.number() + ":" + alias;
  }

  private @Nullable X509KeyManager owner(@Nullable String tagged) {
    if (tagged == null) {
      return null;
    }
    int colon = tagged.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String n = tagged.substring(0, colon);
    Generation c = current;
    if (n.equals(Integer.toString(c.number()))) {
      return c.delegate();
    }
    Generation p = previous;
    return p != null && n.equals(Integer.toString(p.number())) ? p.delegate() : null;
  }

  private static @Nullable String untag(@Nullable String tagged) {
    return tagged == null ? null : tagged.substring(tagged.indexOf(':') + 1);
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return fresh().delegate().getClientAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseClientAlias(
      String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    Generation g = fresh();
    return tag(g, g.delegate().chooseClientAlias(keyType, issuers, socket));
  }

  @Override
  public @Nullable String chooseEngineClientAlias(
      String[] keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    Generation g = fresh();
    String alias =
        g.delegate() instanceof X509ExtendedKeyManager x
            ? x.chooseEngineClientAlias(keyType, issuers, engine)
            : g.delegate().chooseClientAlias(keyType, issuers, null);
    return tag(g, alias);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return fresh().delegate().getServerAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    Generation g = fresh();
    return tag(g, g.delegate().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    Generation g = fresh();
    String alias =
        g.delegate() instanceof X509ExtendedKeyManager x
            ? x.chooseEngineServerAlias(keyType, issuers, engine)
            : g.delegate().chooseServerAlias(keyType, issuers, null);
    return tag(g, alias);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
    X509KeyManager km = owner(alias);
    return km == null ? null : km.getCertificateChain(untag(alias));
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
    X509KeyManager km = owner(alias);
    return km == null ? null : km.getPrivateKey(untag(alias));
  }
}
