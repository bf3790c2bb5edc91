package io.gpumarket.offer.domain;

import java.time.Instant;

/** What search needs to know of one listed, healthy machine. Prices in micro-dollars. */
public record MarketMachine(String id, String hostAccountId, String gpuModel, int gpuCount, int gpuRamGb,
        int cpuCores, int ramGb, int diskGb, String region, int inetUpMbps, int inetDownMbps, long gpuPrice,
        long storagePrice, long bandwidthPrice, int minGpus, long minBid, Instant endDate, int freeGpus) {}
