package io.gpumarket.rental.domain;

import static io.gpumarket.rental.domain.DeciderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.Event;
import io.gpumarket.events.machine.ContainerState;
import io.gpumarket.events.rental.RentalEvent.GpusReleased;
import io.gpumarket.events.rental.RentalEvent.NoticeIssued;
import io.gpumarket.events.rental.RentalEvent.RestartRequested;
import io.gpumarket.events.rental.RentalEvent.SshKeysChangeRequested;
import io.gpumarket.events.rental.RentalEvent.SshKeysChanged;
import io.gpumarket.events.rental.RentalEvent.StopRequested;
import io.gpumarket.events.rental.RentalEvent.WorkIssued;
import io.gpumarket.events.rental.WorkAction;
import io.gpumarket.events.status.InstanceStatus;
import io.gpumarket.events.status.StatusEvent.InstanceStatusChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restarting a running container in place, and replacing an instance's SSH keys. */
class RestartAndKeysTest extends MachineHarness {
    private static final List<String> NEW_KEYS = List.of("ssh-ed25519 BBBB new");

    private void running(String instance) {
        if (machine.instances.isEmpty()) {
            given(registered(2), online(), listed());
        }
        WorkIssued start = (WorkIssued) when(placement(instance, 1), T0).get(2);
        when(report(start.workId(), instance, ContainerState.RUNNING), T0.plusSeconds(1));
    }

    @Test
    void aRestartSendsRestartWorkOnTheSameGpusAndTheInstanceStaysOnline() {
        running("i-1");
        List<Event> out = when(new RestartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(5));
        WorkIssued restart = (WorkIssued) out.get(0);
        assertThat(restart.action()).isEqualTo(WorkAction.RESTART);
        assertThat(restart.gpuIndexes()).containsExactly(0);
        assertThat(when(report(restart.workId(), "i-1", ContainerState.RUNNING), T0.plusSeconds(8))).isEmpty();
        assertThat(machine.instances.get("i-1").status).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void aFailedRestartLeavesTheInstanceStoppedWithItsGpusFreed() {
        running("i-1");
        WorkIssued restart = (WorkIssued) when(new RestartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(5))
                .get(0);
        List<Event> out = when(report(restart.workId(), "i-1", ContainerState.FAILED), T0.plusSeconds(8));
        assertThat(out).filteredOn(e -> e instanceof InstanceStatusChanged).singleElement()
                .satisfies(e -> assertThat(((InstanceStatusChanged) e).status()).isEqualTo(InstanceStatus.STOPPED));
        assertThat(out).hasAtLeastOneElementOfType(GpusReleased.class);
    }

    @Test
    void onlyARunningInstanceOfItsOwnerRestarts() {
        given(registered(2), online(), listed());
        when(placement("i-1", 1), T0);
        assertThat(when(new RestartRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(1))).as("creating").isEmpty();
        running("i-2");
        assertThat(when(new RestartRequested(meta(MACHINE), "i-2", "someone-else"), T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void newKeysAreInstalledInARunningContainerAndUsedAtEveryLaterStart() {
        running("i-1");
        List<Event> out = when(new SshKeysChangeRequested(meta(MACHINE), "i-1", ACCOUNT, NEW_KEYS), T0.plusSeconds(5));
        assertThat(((SshKeysChanged) out.get(0)).sshPublicKeys()).isEqualTo(NEW_KEYS);
        WorkIssued install = (WorkIssued) out.get(1);
        assertThat(install.action()).isEqualTo(WorkAction.UPDATE_KEYS);
        assertThat(install.container().sshPublicKeys()).isEqualTo(NEW_KEYS);
        when(report(install.workId(), "i-1", ContainerState.RUNNING), T0.plusSeconds(6));
        WorkIssued stop = (WorkIssued) when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(7)).get(0);
        assertThat(stop.container().sshPublicKeys()).isEqualTo(NEW_KEYS);
    }

    @Test
    void keysThatCannotBeInstalledAreANoticeAndTheInstanceRunsOn() {
        running("i-1");
        WorkIssued install = (WorkIssued) when(new SshKeysChangeRequested(meta(MACHINE), "i-1", ACCOUNT, NEW_KEYS),
                T0.plusSeconds(5)).get(1);
        List<Event> out = when(report(install.workId(), "i-1", ContainerState.FAILED), T0.plusSeconds(6));
        assertThat(((NoticeIssued) out.get(0)).kind()).isEqualTo("ssh-keys");
        assertThat(machine.instances.get("i-1").status).isEqualTo(InstanceStatus.ONLINE);
    }

    @Test
    void aStoppedInstanceTakesNewKeysWithoutWorkForTheAgent() {
        running("i-1");
        WorkIssued stop = (WorkIssued) when(new StopRequested(meta(MACHINE), "i-1", ACCOUNT), T0.plusSeconds(5)).get(0);
        when(report(stop.workId(), "i-1", ContainerState.STOPPED), T0.plusSeconds(6));
        List<Event> out = when(new SshKeysChangeRequested(meta(MACHINE), "i-1", ACCOUNT, NEW_KEYS), T0.plusSeconds(7));
        assertThat(out).singleElement().isInstanceOf(SshKeysChanged.class);
    }
}
