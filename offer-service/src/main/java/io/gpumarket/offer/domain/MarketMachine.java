package io.gpumarket.offer.domain;

import io.gpumarket.events.offer.ListingTerms;
import java.util.List;

/**
 * One registered machine as the market sees it at one moment, immutable so searches on other
 * threads read it while the projection replaces it. {@code freeGpus} are held by no one;
 * {@code preemptibleGpus} are held by interruptible instances and can be taken by a rental of
 * higher priority. {@code listing} is the last published terms, {@code listed} whether they
 * are on the market now. Reliability in millionths, DLPerf per GPU in hundredths (null: unknown);
 * {@code maintenanceWindows} the announced windows, during which it shows no offers.
 * The last four components are derived, for searches that scan tens of thousands of machines
 * without following references: whether the machine shows offers at all (listed, online, not in
 * maintenance, checks passed), when its listing ends, and its GPU model and region as interned
 * lower-case keys that compare by identity.
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
        List<Window> maintenanceWindows,
        ListingTerms listing,
        boolean listed,
        int freeGpus,
        int preemptibleGpus,
        long reliabilityPpm,
        Long dlperfPerGpuCenti,
        String verification,
        String driverVersion,
        String cudaVersion,
        boolean onMarket,
        long endsAtEpochSecond,
        String gpuModelKey,
        String regionKey) {

    public MarketMachine {
        failedChecks = List.copyOf(failedChecks);
        maintenanceWindows = List.copyOf(maintenanceWindows);
    }

    /** An announced maintenance window, in epoch seconds: offers are hidden from start until end. */
    public record Window(long startEpochSecond, long endEpochSecond) {}

    /** Whether an announced maintenance window covers the moment {@code epochSecond}. */
    public boolean inMaintenanceWindow(long epochSecond) {
        for (Window w : maintenanceWindows) {
            if (w.startEpochSecond() <= epochSecond && epochSecond < w.endEpochSecond()) {
                return true;
            }
        }
        return false;
    }

    /** A snapshot with its derived components computed. */
    static MarketMachine of(String id, String hostAccountId, String gpuModel, int gpuCount, int gpuRamGb, int cpuCores,
            int ramGb, int diskGb, String region, int inetUpMbps, int inetDownMbps, List<String> failedChecks,
            boolean online, boolean maintenance, List<Window> maintenanceWindows, ListingTerms listing,
            boolean listed, int freeGpus,
            int preemptibleGpus, long reliabilityPpm, Long dlperfPerGpuCenti, String verification,
            String driverVersion, String cudaVersion) {
        boolean shows = listed && listing != null && online && !maintenance && failedChecks.isEmpty();
        return new MarketMachine(id, hostAccountId, gpuModel, gpuCount, gpuRamGb, cpuCores, ramGb, diskGb, region,
                inetUpMbps, inetDownMbps, failedChecks, online, maintenance, maintenanceWindows, listing, listed,
                freeGpus, preemptibleGpus,
                reliabilityPpm, dlperfPerGpuCenti, verification, driverVersion, cudaVersion, shows,
                listing == null ? Long.MIN_VALUE : listing.endDate().getEpochSecond(), key(gpuModel), key(region));
    }

    /** The interned lower-case form a text is matched by. */
    static String key(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).intern();
    }
}
