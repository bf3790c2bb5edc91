package io.gpumarket.billing.processing;

import io.gpumarket.billing.domain.FeePolicy;
import io.gpumarket.billing.domain.GpuClass;
import io.gpumarket.events.money.Money;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The fee policy the charger applies, from configuration: {@code flat} (a share in basis points,
 * 25 % by default) or {@code gpu-class} (an hourly usage fee per GPU by class, then an even split).
 */
@ApplicationScoped
public class FeePolicies {
    @ConfigProperty(name = "gpumarket.billing.fee-policy")
    String policy;
    @ConfigProperty(name = "gpumarket.billing.fee-bps")
    int feeBps;
    @ConfigProperty(name = "gpumarket.billing.usage-fee.consumer")
    String consumer;
    @ConfigProperty(name = "gpumarket.billing.usage-fee.professional")
    String professional;
    @ConfigProperty(name = "gpumarket.billing.usage-fee.datacenter")
    String datacenter;

    @Produces
    @Singleton
    FeePolicy feePolicy() {
        if ("flat".equals(policy)) {
            return new FeePolicy.FlatShare(feeBps);
        } else if ("gpu-class".equals(policy)) {
            return new FeePolicy.GpuClassUsageFee(Map.of(GpuClass.CONSUMER, Money.parseMicros(consumer),
                    GpuClass.PROFESSIONAL, Money.parseMicros(professional), GpuClass.DATACENTER,
                    Money.parseMicros(datacenter)));
        }
        throw new IllegalArgumentException("gpumarket.billing.fee-policy must be flat or gpu-class, not " + policy);
    }
}
