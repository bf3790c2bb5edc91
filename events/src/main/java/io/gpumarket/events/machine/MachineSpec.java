package io.gpumarket.events.machine;

import java.util.List;

/**
 * The hardware a host declares for a machine. The first ten fields are required at registration;
 * the rest may be null (a hardware check that needs a missing field says so).
 */
public record MachineSpec(
        String name,
        String gpuModel,
        int gpuCount,
        int gpuRamGb,
        int cpuCores,
        int ramGb,
        int diskGb,
        String region,
        int inetUpMbps,
        int inetDownMbps,
        Integer pcieGen,
        Integer pcieLanesPerGpu,
        String cpuModel,
        List<Disk> disks) {

    public record Disk(String kind, int sizeGb) {}
}
