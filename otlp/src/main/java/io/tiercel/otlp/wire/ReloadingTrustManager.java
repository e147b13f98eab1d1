package io.tiercel.otlp.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies client certificates against {@code client_ca_file} and, with {@code
 * client_ca_file_reload}, rereads the file when its modification time changes (checked at each
 * handshake; the collector watches the file). A failed reread keeps the CAs in use and is logged.
 */
final class ReloadingTrustManager implements X509TrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTrustManager.class);

  private record Loaded(FileTime modified, X509TrustManager delegate) {}

  private final Path file;
  private final boolean reload;
  private final Object lock = new Object();
  private volatile Loaded loaded;

  ReloadingTrustManager(Path file, boolean reload) throws IOException, GeneralSecurityException {
    this.file = file;
    this.reload = reload;
    this.loaded = load();
  }

  private Loaded load() throws IOException, GeneralSecurityException {
    FileTime t = Files.getLastModifiedTime(file);
    return new Loaded(t, TlsOptions.trustManager(Files.readString(file)));
  }

  private X509TrustManager current() {
    if (!reload) {
      return loaded.delegate();
    }
    try {
      FileTime t = Files.getLastModifiedTime(file);
      if (!t.equals(loaded.modified())) {
        synchronized (lock) {
          if (!t.equals(loaded.modified())) {
            loaded = load();
          }
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException failed) {
      LOG.warn("client_ca_file reload of {} failed; the previous CAs stay in use", file, failed);
    }
    return loaded.delegate();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    current().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    current().checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return current().getAcceptedIssuers();
  }
}
