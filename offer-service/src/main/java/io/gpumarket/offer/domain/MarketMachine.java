package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.ListingTerms;
import java.util.List;

/**
 * One registered machine as the market sees it at one moment, immutable so searches on other
 * threads read it while the projection replaces it. {@code freeGpus} are held by no one;
 * {@code preemptibleGpus} are held by interruptible instances and can be taken by a rental of
 * higher priority. {@code listing} is the last published terms, {@code listed} whether they
 * are on the market now. Reliability in millionths, DLPerf per GPU in hundredths (null: unknown).
 */
public record MarketMachine(
        String id,
        String hostAccountId,
        String gpuModel,
        int gpuCount,
        int gpuRamGb,
        int cpuCores,
        int ramGb,
        int diskGb,
        String region,
        int inetUpMbps,
        int inetDownMbps,
        List<String> failedChecks,
        boolean online,
        boolean maintenance,
        ListingTerms listing,
        boolean listed,
        int freeGpus,
        int preemptibleGpus,
        long reliabilityPpm,
        Long dlperfPerGpuCenti,
        String verification,
        String driverVersion,
        String cudaVersion) {

    public MarketMachine {
        failedChecks = List.copyOf(failedChecks);
    }

    /** Whether the machine shows offers at all (before its end date and free GPUs are looked at). */
    public boolean onMarket() {
        return listed && online && !maintenance && failedChecks.isEmpty();
    }
}
