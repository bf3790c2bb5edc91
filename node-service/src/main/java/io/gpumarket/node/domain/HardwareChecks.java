package io.gpumarket.node.domain;

import io.gpumarket.events.machine.CheckResult;
import io.gpumarket.events.machine.MachineSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardware a machine needs before it may be listed (the hosting rules of seed 004): system RAM
 * at least twice the total VRAM, at least 8 PCIe lanes per GPU, at least 2 CPU cores per GPU on
 * PCIe 3 (4 on PCIe 4 and later), and disk plausible for the GPU count (at least
 * {@value #MIN_DISK_GB_PER_GPU} GB per GPU). A check whose input was not declared fails and says so.
 */
public final class HardwareChecks {
    public static final int MIN_DISK_GB_PER_GPU = 100;
    public static final int MIN_PCIE_LANES_PER_GPU = 8;

    private HardwareChecks() {}

    public static List<CheckResult> of(MachineSpec s) {
        List<CheckResult> out = new ArrayList<>();
        out.add(new CheckResult("gpus-uniform", s.gpuModel() != null && !s.gpuModel().isBlank(),
                s.gpuCount() + " x " + s.gpuModel()));
        long vram = (long) s.gpuCount() * s.gpuRamGb();
        out.add(new CheckResult("ram", s.ramGb() >= 2 * vram,
                s.ramGb() + " GB RAM, needs at least 2 x " + vram + " GB VRAM = " + 2 * vram + " GB"));
        if (s.pcieLanesPerGpu() == null) {
            out.add(new CheckResult("pcie-lanes", false, "pcieLanesPerGpu not declared"));
        } else {
            out.add(new CheckResult("pcie-lanes", s.pcieLanesPerGpu() >= MIN_PCIE_LANES_PER_GPU,
                    s.pcieLanesPerGpu() + " lanes per GPU, needs at least " + MIN_PCIE_LANES_PER_GPU));
        }
        if (s.pcieGen() == null) {
            out.add(new CheckResult("cpu-cores", false, "pcieGen not declared: cannot tell the cores needed per GPU"));
        } else {
            int perGpu = s.pcieGen() >= 4 ? 4 : 2;
            int needed = perGpu * s.gpuCount();
            out.add(new CheckResult("cpu-cores", s.cpuCores() >= needed, s.cpuCores() + " cores, needs at least "
                    + perGpu + " per GPU on PCIe " + s.pcieGen() + " = " + needed));
        }
        int neededDisk = MIN_DISK_GB_PER_GPU * s.gpuCount();
        out.add(new CheckResult("disk", s.diskGb() >= neededDisk,
                s.diskGb() + " GB disk, needs at least " + neededDisk + " GB for " + s.gpuCount() + " GPUs"));
        return out;
    }

    public static boolean allPass(List<CheckResult> checks) {
        return checks.stream().allMatch(CheckResult::ok);
    }
}
