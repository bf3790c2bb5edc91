package io.gpumarket.kit.api;

import java.security.SecureRandom;
import java.util.Base64;

/** High-entropy secrets (API keys, agent tokens): 256 random bits, URL-safe, with a readable prefix. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
