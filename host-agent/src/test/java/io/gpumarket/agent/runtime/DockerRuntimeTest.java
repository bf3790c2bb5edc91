package io.gpumarket.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.rental.ContainerSpec;
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
                        Map.of("MODE", "train"), "pip install x", List.of("ssh-ed25519 AAAA me")));
        assertThat(DockerRuntime.runCommand(work)).containsExactly("docker", "run", "-d", "--name", "gpumarket-i-1",
                "--label", "gpumarket.instance=i-1", "--restart", "unless-stopped", "--gpus", "\"device=1,3\"",
                "--mount", "type=volume,source=gpumarket-i-1,target=/workspace", "-e", "MODE=train",
                "-e", "GPUMARKET_SSH_KEYS=ssh-ed25519 AAAA me", "-e", "GPUMARKET_ONSTART=pip install x",
                "--entrypoint", "/bin/bash", "pytorch/pytorch:latest", "-c", "sleep 1");
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
