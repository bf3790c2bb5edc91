package io.gpumarket.stack;

import static io.gpumarket.stack.MarketplaceEndToEndTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.events.agent.AgentFrameListener;
import io.gpumarket.events.agent.AgentMessage;
import io.gpumarket.events.serde.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet's agents all reach node-service through one gateway: more channels at once than a Vert.x
 * client opens to one server by default (50), each welcomed, counted in the gateway's
 * {@code gpumarket_gateway_agent_channels} gauge while open and no longer once closed. The agents
 * beat at the interval they are told, so node-service keeps their channels however slow the run.
 */
@Order(4)
@ExtendWith(SharedStack.class)
class AgentChannelsEndToEndTest {
    private static final int HOSTS = 2;
    /** Within one host key's burst of machine registrations (30). */
    private static final int MACHINES_PER_HOST = 30;
    private static final Pattern GAUGE = Pattern.compile("(?m)^gpumarket_gateway_agent_channels(?:\\{[^}]*})? (\\S+)$");

    @Test
    void sixtyAgentsAreWelcomedThroughOneGatewayAndTheirChannelsAreCountedUntilTheyClose() throws Exception {
        Http http = SharedStack.http;
        URI gateway = SharedStack.stack.gateway();
        double openBefore = openChannels(gateway);
        List<String[]> machines = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            String fleet = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
            String hostKey = http.post("/api/v1/accounts", null, Map.of("name", fleet, "email", fleet + "@example.com",
                    "role", "host")).expect(201).text("apiKey");
            for (int i = 0; i < MACHINES_PER_HOST; i++) {
                var m = http.post("/api/v1/machines", hostKey, DemoHost.machineSpec(fleet + "-" + i, 1)).expect(201);
                machines.add(new String[] {m.text("id"), m.text("agentToken")});
            }
        }

        HttpClient client = HttpClient.newHttpClient();
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        URI channel = URI.create("ws://" + gateway.getAuthority() + "/api/v1/agent");
        List<WelcomedAgent> agents = new ArrayList<>();
        for (String[] m : machines) {
            agents.add(new WelcomedAgent(client, channel, m[0], m[1], beats));
        }
        try {
            for (WelcomedAgent a : agents) {
                assertThat(a.welcomed.get(20, TimeUnit.SECONDS)).as("welcomed").isTrue();
            }
            assertThat(openChannels(gateway)).isGreaterThanOrEqualTo(openBefore + machines.size());
        } finally {
            beats.shutdownNow();
            for (WelcomedAgent a : agents) {
                a.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            }
        }
        eventually(Duration.ofSeconds(20), () -> openChannels(gateway) <= openBefore);
    }

    /** The gateway's count of open agent channels, from its metrics. */
    static double openChannels(URI gateway) {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = GAUGE.matcher(metrics);
            assertThat(m.find()).as("the gauge in the gateway's metrics").isTrue();
            return Double.parseDouble(m.group(1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A machine's agent that says hello and waits for node-service's welcome, nothing more. */
    private static final class WelcomedAgent extends AgentFrameListener {
        final CompletableFuture<Boolean> welcomed = new CompletableFuture<>();
        final WebSocket socket;
        private final ScheduledExecutorService beats;
        private final AtomicLong seq = new AtomicLong();

        WelcomedAgent(HttpClient client, URI channel, String machineId, String token, ScheduledExecutorService beats)
                throws Exception {
            this.beats = beats;
            socket = client.newWebSocketBuilder().header("Authorization", "Bearer " + token).buildAsync(channel, this)
                    .get(20, TimeUnit.SECONDS);
            send(new AgentMessage.Hello(machineId, UUID.randomUUID().toString(), "channels-test"));
        }

        private synchronized void send(AgentMessage message) {
            try {
                socket.sendText(EventJson.mapper().writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                welcomed.completeExceptionally(e);
            }
        }

        @Override
        protected void onFrame(String frame) {
            try {
                if (EventJson.mapper().readValue(frame, AgentMessage.class) instanceof AgentMessage.Welcome w
                        && welcomed.complete(true)) {
                    beats.scheduleAtFixedRate(() -> send(new AgentMessage.Heartbeat(seq.incrementAndGet(), Instant.now(),
                            List.of(), "550.54.15", "12.4", 100L, List.of(), List.of())), 0,
                            w.heartbeatIntervalSeconds(), TimeUnit.SECONDS);
                }
            } catch (java.io.IOException e) {
                welcomed.completeExceptionally(e);
            }
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            welcomed.completeExceptionally(error);
        }
    }
}
