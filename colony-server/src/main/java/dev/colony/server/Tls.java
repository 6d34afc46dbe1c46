package dev.colony.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The server's TLS key and certificate chain: from PEM files (an unencrypted PKCS#8 {@code PRIVATE KEY},
 * RSA or EC, and a certificate chain) or from a PKCS#12 keystore.
 *
 * @param keyStore the key and chain under the alias {@code colony}
 * @param password the keystore's (and key's) password
 */
public record Tls(KeyStore keyStore, char[] password) {
    public Tls {
        Objects.requireNonNull(keyStore, "keyStore");
        password = Objects.requireNonNull(password, "password").clone();
    }

    /**
     * TLS from PEM files, as {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem}
     * writes them.
     *
     * @throws IllegalArgumentException if a file is unreadable or holds no usable key or certificate; the
     *     message names the file
     */
    public static Tls pem(Path certificate, Path key) {
        try {
            List<Certificate> chain;
            try (InputStream in = Files.newInputStream(certificate)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + certificate);
            }
            PrivateKey privateKey =
                    privateKey(key, chain.getFirst().getPublicKey().getAlgorithm());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "colony".toCharArray();
            store.setKeyEntry("colony", privateKey, password, chain.toArray(Certificate[]::new));
            return new Tls(store, password);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not a PEM certificate chain and PKCS#8 key: " + certificate + ", " + key + ": " + e.getMessage(),
                    e);
        }
    }

    /** TLS from a PKCS#12 keystore file. */
    public static Tls pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return new Tls(store, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keystore " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#12 keystore: " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no unencrypted PKCS#8 \"BEGIN PRIVATE KEY\" block in " + file
                    + " (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem)");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
