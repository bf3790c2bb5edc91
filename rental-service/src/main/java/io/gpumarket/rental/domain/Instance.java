package io.gpumarket.rental.domain;

import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Contract;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import java.time.Instant;
import java.util.List;

/**
 * An instance as its machine's aggregate knows it: contract, status, GPUs held, the last work sent
 * to the agent, and its metering: the open interval's start, the running totals, whether metering
 * is paused (the owner is suspended), and its traffic as the agent counts it (a container's
 * counters restart with it, so a reading below the last one starts a new base). An
 * interruptible's bid is its contract's price; each bid change starts a new meter, whose traffic
 * counts from {@code meterTrafficBase}. {@code placedSeq} orders equal bids: the earlier placement wins.
 */
public final class Instance {
    final String id;
    final String accountId;
    final String hostAccountId;
    Contract contract;
    ContainerSpec container;
    InstanceStatus status = InstanceStatus.CREATING;
    List<Integer> gpus = List.of();
    /** The GPUs it held before it was stopped: a start takes these back. */
    List<Integer> parkedGpus = List.of();
    String lastWorkId;
    WorkAction lastWorkAction;
    Instant meteredUntil;
    long onlineSecondsTotal;
    long storageSecondsTotal;
    long trafficBytesTotal;
    long trafficSeen;
    long trafficBase;
    long trafficLastReading;
    boolean meteringPaused;
    int meter;
    long meterTrafficBase;
    long placedSeq;

    Instance(String id, String accountId, String hostAccountId, Contract contract, ContainerSpec container) {
        this.id = id;
        this.accountId = accountId;
        this.hostAccountId = hostAccountId;
        this.contract = contract;
        this.container = container;
    }

    boolean interruptible() {
        return contract.type() == RentalType.INTERRUPTIBLE;
    }

    long bid() {
        return contract.gpuPricePerHourMicros();
    }

    /** Traffic counted since the current meter began. */
    long meterTraffic() {
        return Math.max(0, trafficSeen - meterTrafficBase);
    }

    boolean charged() {
        return !meteringPaused && (status.gpuCharged() || status.storageCharged());
    }

    void trafficReading(long bytes) {
        if (bytes < trafficLastReading) {
            trafficBase += trafficLastReading;
        }
        trafficLastReading = bytes;
        trafficSeen = Math.max(trafficSeen, trafficBase + bytes);
    }
}
