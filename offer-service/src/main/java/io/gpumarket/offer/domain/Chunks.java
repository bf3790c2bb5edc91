package io.gpumarket.offer.domain;

/** Which listing minimums are allowed: 1 and the powers of two (chunk sizes: {@code OfferIds.chunkSizes}). */
public final class Chunks {
    private Chunks() {}

    public static boolean validMinimum(int minGpus) {
        return minGpus >= 1 && Integer.bitCount(minGpus) == 1;
    }
}
