package io.gpumarket.billing.domain;

import io.gpumarket.events.rental.Contract;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a charge is split between the platform (the fee) and the host (the rest). Both policies
 * compute the fee on an instance's cumulative charges, so it is rounded once per rental, down, in
 * the host's favour; the fee of one interval is the difference of two cumulative fees.
 */
public sealed interface FeePolicy {

    /** The platform's cumulative fee on an instance that has used {@code totals} and been charged {@code charged}. */
    long feeOn(Contract contract, UsageTotals totals, long charged);

    /** A share in basis points of everything charged (seed 002: 25 %, hosts keep 75 %). */
    record FlatShare(int feeBps) implements FeePolicy {
        public FlatShare {
            if (feeBps < 0 || feeBps > 10_000) {
                throw new IllegalArgumentException("fee must be 0..10000 basis points: " + feeBps);
            }
        }

        @Override
        public long feeOn(Contract contract, UsageTotals totals, long charged) {
            return Tariff.mulDiv(charged, feeBps, 10_000L);
        }
    }

    /**
     * Seed 004's model: an hourly usage fee per GPU by its class (never more than the GPU charge),
     * then what remains of the charge is split evenly between the platform and the host.
     */
    record GpuClassUsageFee(Map<GpuClass, Long> perGpuHourMicros) implements FeePolicy {
        public GpuClassUsageFee {
            perGpuHourMicros = Map.copyOf(new EnumMap<>(perGpuHourMicros));
            for (GpuClass c : GpuClass.values()) {
                Long fee = perGpuHourMicros.get(c);
                if (fee == null || fee < 0) {
                    throw new IllegalArgumentException("a non-negative usage fee is needed for " + c);
                }
            }
        }

        @Override
        public long feeOn(Contract contract, UsageTotals totals, long charged) {
            long perHour = Math.multiplyExact(perGpuHourMicros.get(GpuClass.of(contract.gpuModel())),
                    contract.numGpus());
            long usageFee = Math.min(Tariff.gpuCost(contract, totals.onlineSeconds()),
                    Tariff.mulDiv(perHour, totals.onlineSeconds(), Tariff.SECONDS_PER_HOUR));
            return usageFee + (charged - usageFee) / 2;
        }
    }
}
