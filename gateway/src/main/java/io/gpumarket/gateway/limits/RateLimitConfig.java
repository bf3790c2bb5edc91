package io.gpumarket.gateway.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's request budgets ({@code gpumarket.gateway.rate-limits.*}): for each, the sustained
 * rate per second and the burst a full bucket allows. Per API key: {@code search} (offer search),
 * {@code create} (requests that create something), {@code other}. Per client address:
 * {@code signup} (opening accounts), {@code agent-connect} (opening agent channels) and
 * {@code auth-failures} (answers 401). Per agent channel: {@code agent-messages}.
 */
@ConfigMapping(prefix = "gpumarket.gateway.rate-limits")
public interface RateLimitConfig {
    /** Off only for benchmarks that measure capacity rather than limits. */
    @WithDefault("true")
    boolean enabled();

    Limit search();

    Limit create();

    Limit other();

    Limit signup();

    Limit agentConnect();

    Limit agentMessages();

    Limit authFailures();

    interface Limit {
        int perSecond();

        int burst();
    }
}
