package io.triad.gcs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for 127.0.0.1, made for one test run by the JDK's keytool, for the doubles that the
 * real clients reach over HTTPS only (Google's token exchange, Entra, Azurite with OAuth): its key
 * store (PKCS #12, which Azurite takes as a PFX) and a TLS context that serves it and trusts it,
 * and nothing else.
 */
public final class LoopbackTls {
  private static final String PASSWORD = "loopback";

  private final Path store;
  private final SSLContext context;

  private LoopbackTls(Path store, SSLContext context) {
    this.store = store;
    this.context = context;
  }

  private static LoopbackTls shared;
  private static int trusting;
  private static SSLContext beforeDefault;
  private static SSLSocketFactory beforeFactory;

  /**
   * The one certificate of this JVM, made on first use in a temporary folder removed when the JVM
   * ends: every double that serves HTTPS uses it, since the JVM trusts one context by default at a
   * time and doubles of several tests may run at once.
   */
  public static synchronized LoopbackTls shared() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("loopback-tls");
      shared = in(dir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Files.deleteIfExists(shared.store);
                      Files.deleteIfExists(dir);
                    } catch (IOException e) {
                      // a temporary folder left behind
                    }
                  }));
    }
    return shared;
  }

  /** Makes the certificate's key store in {@code dir}. */
  private static LoopbackTls in(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path store = dir.resolve("loopback-tls.p12");
    Files.deleteIfExists(store);
    try {
      Process keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "loopback",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=127.0.0.1",
                  "-ext",
                  "SAN=ip:127.0.0.1",
                  "-validity",
                  "1",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  PASSWORD,
                  "-keypass",
                  PASSWORD)
              .redirectErrorStream(true)
              .start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (keytool.waitFor() != 0) {
        throw new IOException("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, PASSWORD.toCharArray());
      TrustManagerFactory tm =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
      return new LoopbackTls(store, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** The key store, PKCS #12: a PFX to Azurite. */
  public Path pfx() {
    return store;
  }

  public String password() {
    return PASSWORD;
  }

  /** Serves the certificate, and trusts it alone. */
  public SSLContext context() {
    return context;
  }

  /**
   * Makes the JVM's default HTTPS (the JDK's HTTP clients, {@code HttpsURLConnection}) trust this
   * certificate, and no other, until the last handle returned is closed: the clients under test
   * take the default context.
   */
  public AutoCloseable trustedByDefault() throws GeneralSecurityException {
    synchronized (LoopbackTls.class) {
      if (trusting++ == 0) {
        beforeDefault = SSLContext.getDefault();
        beforeFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
        SSLContext.setDefault(context);
        HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
      }
    }
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.getAndSet(true)) {
        return;
      }
      synchronized (LoopbackTls.class) {
        if (--trusting == 0) {
          SSLContext.setDefault(beforeDefault);
          HttpsURLConnection.setDefaultSSLSocketFactory(beforeFactory);
        }
      }
    };
  }
}
