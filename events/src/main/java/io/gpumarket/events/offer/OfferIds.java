package io.gpumarket.events.offer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An offer is one machine and one chunk size; its id is derived from both, so every service that
 * knows a machine's listing names its offers identically, and the id stays stable while the offer
 * stays available.
 */
public final class OfferIds {
    private OfferIds() {}

    public static String of(String machineId, int numGpus) {
        return UUID.nameUUIDFromBytes(("offer:" + machineId + ":" + numGpus).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
