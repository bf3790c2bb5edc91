package io.gpumarket.events.offer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An offer is one machine and one chunk size; its id is derived from both, so every service that
 * knows a machine's listing names its offers identically, and the id stays stable while the offer
 * stays available. The chunk sizes are the powers of two from the listing's minimum up to the GPU
 * count, plus the whole machine (an 8-GPU machine with minimum 2 offers 2, 4 and 8 GPUs).
 */
public final class OfferIds {
    private OfferIds() {}

    public static java.util.List<Integer> chunkSizes(int gpuCount, int minGpus) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int n = Math.max(1, minGpus); n < gpuCount; n *= 2) {
            out.add(n);
        }
        out.add(gpuCount);
        return out;
    }

    public static String of(String machineId, int numGpus) {
        return UUID.nameUUIDFromBytes(("offer:" + machineId + ":" + numGpus).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
