package io.gpumarket.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets (Bucket4j) per caller and {@link Budget}: a caller is an API key's hash or a client
 * address. Buckets live in memory on each gateway replica, forgotten after ten idle minutes (at
 * most 200,000 at once), so the limits are per replica. A refused request learns how long until a
 * token is back: its {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimits {
    private final RateLimitConfig config;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(200_000).build();

    public RateLimits(RateLimitConfig config) {
        this.config = config;
    }

    /** Takes one token of {@code budget} for {@code caller}: empty if granted, else the time to wait. */
    public Optional<Duration> take(Budget budget, String caller) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        ConsumptionProbe probe = buckets.get(budget + ":" + caller, k -> newBucket(budget))
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Whether {@code caller} has no token of {@code budget} left, without taking one. */
    public Optional<Duration> exhausted(Budget budget, String caller) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Bucket b = buckets.getIfPresent(budget + ":" + caller);
        if (b == null || b.getAvailableTokens() > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(b.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** A bucket of its own, for a budget that belongs to one connection ({@link Budget#AGENT_MESSAGES}). */
    public Optional<Bucket> connectionBucket(Budget budget) {
        return config.enabled() ? Optional.of(newBucket(budget)) : Optional.empty();
    }

    public int perSecond(Budget budget) {
        return budget.limit(config).perSecond();
    }

    private Bucket newBucket(Budget budget) {
        RateLimitConfig.Limit l = budget.limit(config);
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(l.burst()).refillGreedy(l.perSecond(), Duration.ofSeconds(1)))
                .build();
    }

    /** Whole seconds to wait, at least one: the value of {@code Retry-After}. */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
