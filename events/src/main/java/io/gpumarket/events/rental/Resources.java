package io.gpumarket.events.rental;

/**
 * An instance's share of its machine besides GPUs, in proportion to its GPUs (seed 001: a 1-GPU
 * instance on a 4-GPU machine gets 25 % of the CPU): CPU in millicores, RAM and shared memory
 * ({@code /dev/shm}, half the RAM share) in MiB; each rounded down.
 */
public record Resources(int cpuMillicores, long ramMb, long shmMb) {

    public static Resources share(int gpus, int machineGpus, int cpuCores, int ramGb) {
        if (gpus < 1 || gpus > machineGpus) {
            throw new IllegalArgumentException(gpus + " of " + machineGpus + " GPUs");
        }
        long ram = 1024L * ramGb * gpus / machineGpus;
        return new Resources((int) (1000L * cpuCores * gpus / machineGpus), ram, ram / 2);
    }
}
