package io.gpumarket.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.rental.ContainerSpec;
import io.gpumarket.events.rental.Resources;
import io.gpumarket.events.rental.WorkAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Docker runtime's command lines and counters, without a daemon. */
class DockerRuntimeTest {
    @Test
    void aStartRunsTheImageOnItsGpusOnlyWithItsEnvKeysAndDisk() {
        var work = new AgentMessage.Work("w-1", "i-1", WorkAction.START, List.of(1, 3), 40,
                new ContainerSpec("pytorch/pytorch:latest", "ssh", "/bin/bash", List.of("-c", "sleep 1"),
                        Map.of("MODE", "train"), "pip install x", List.of("ssh-ed25519 AAAA me"),
                        new Resources(4_500, 38_400, 19_200), null));
        assertThat(DockerRuntime.runCommand(work)).containsExactly("docker", "run", "-d", "--name", "gpumarket-i-1",
                "--label", "gpumarket.instance=i-1", "--label", "gpumarket.gpus=1,3", "--restart", "unless-stopped",
                "--gpus", "\"device=1,3\"",
                "--mount", "type=volume,source=gpumarket-i-1,target=/workspace", "--cpus", "4.500", "--memory",
                "38400m", "--shm-size", "19200m", "-p", "22", "-e", "MODE=train",
                "-e", "GPUMARKET_SSH_KEYS=ssh-ed25519 AAAA me", "-e", "GPUMARKET_ONSTART=pip install x",
                "--entrypoint", "/bin/bash", "pytorch/pytorch:latest", "-c", "sleep 1");
    }

    @Test
    void newSshKeysAreWrittenAsRootsAuthorizedKeysInTheRunningContainer() {
        var work = new AgentMessage.Work("w-2", "i-1", WorkAction.UPDATE_KEYS, List.of(1), 40,
                new ContainerSpec("img", "ssh", null, List.of(), Map.of(), null, List.of("ssh-ed25519 A a", "ssh-ed25519 B b")));
        List<String> cmd = DockerRuntime.keysCommand(work);
        assertThat(cmd.subList(0, 5)).containsExactly("docker", "exec", "-e",
                "GPUMARKET_SSH_KEYS=ssh-ed25519 A a\nssh-ed25519 B b", "gpumarket-i-1");
        assertThat(cmd.get(cmd.size() - 1)).contains("/root/.ssh/authorized_keys");
    }

    @Test
    void thePublishedPortIsReadFromDockerPort() {
        assertThat(DockerRuntime.publishedPort("0.0.0.0:49153\n[::]:49153\n")).isEqualTo(49153);
        assertThat(DockerRuntime.publishedPort("")).isNull();
    }

    @Test
    void trafficSumsEveryInterfaceButLoopback() {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:  500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
                  eth0: 123456    100    0    0    0     0          0         0    7890      50    0    0    0     0       0          0
                  eth1:   1000     10    0    0    0     0          0         0     100       1    0    0    0     0       0          0
                """;
        assertThat(DockerRuntime.netDev(netDev)).containsExactly(124_456, 7_990);
    }
}
