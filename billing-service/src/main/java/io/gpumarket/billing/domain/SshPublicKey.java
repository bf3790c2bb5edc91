package io.gpumarket.billing.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * An OpenSSH public key line ({@code type base64 [comment]}), checked for a known type whose blob
 * decodes and names the same type, with its OpenSSH SHA-256 fingerprint.
 */
public record SshPublicKey(String type, String line, String fingerprint) {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com");

    public static SshPublicKey parse(String text) {
        if (text == null || text.isBlank() || text.length() > 16_384) {
            throw new IllegalArgumentException("an OpenSSH public key line is required");
        }
        String[] parts = text.trim().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw new IllegalArgumentException("not an OpenSSH public key (expected e.g. 'ssh-ed25519 AAAA... name')");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key data is not base64");
        }
        if (!parts[0].equals(blobType(blob))) {
            throw new IllegalArgumentException("the key data does not match its type " + parts[0]);
        }
        String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
        return new SshPublicKey(parts[0], parts[0] + " " + parts[1] + (parts.length == 3 ? " " + parts[2] : ""),
                fingerprint);
    }

    private static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len <= 0 || len > blob.length - 4) {
            return null;
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
