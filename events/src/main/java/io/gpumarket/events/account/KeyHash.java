package io.gpumarket.events.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a secret (API key, agent token) appears on the log and in every table: the lower-case hex
 * SHA-256 of its UTF-8 bytes. Only the service that creates a secret ever sees its plaintext.
 */
public final class KeyHash {
    private KeyHash() {}

    public static String of(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
