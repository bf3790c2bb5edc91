package io.gpumarket.billing.domain;

/**
 * The platform's share of what clients pay: a fraction in basis points of the cumulative charges,
 * rounded down once ({@code floor(charged × bps / 10 000)}); the host earns the rest.
 */
public record FeePolicy(int feeBps) {
    public FeePolicy {
        if (feeBps < 0 || feeBps > 10_000) {
            throw new IllegalArgumentException("fee must be 0..10000 basis points: " + feeBps);
        }
    }

    public long feeOn(long chargedTotal) {
        return Math.floorDiv(Math.multiplyExact(chargedTotal, feeBps), 10_000L);
    }
}
