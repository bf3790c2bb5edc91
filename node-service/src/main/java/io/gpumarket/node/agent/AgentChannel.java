package io.gpumarket.node.agent;

import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.StreamPublisher;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;

/**
 * Serves the agent channel at {@code /api/v1/agent} with Vert.x's own WebSocket API (the Quarkus
 * WebSocket extensions do not resolve at 3.37.1). The gateway proxies agents' sockets here.
 */
@ApplicationScoped
public class AgentChannel {
    private final AgentSessions sessions;
    private final EventPublisher publisher;
    private final StreamPublisher stream;
    private final Clock clock;

    public AgentChannel(AgentSessions sessions, EventPublisher publisher, StreamPublisher stream, Clock clock) {
        this.sessions = sessions;
        this.publisher = publisher;
        this.stream = stream;
        this.clock = clock;
    }

    void routes(@Observes Router router) {
        router.route("/api/v1/agent").handler(rc -> {
            String authorization = rc.request().getHeader("Authorization");
            rc.request().toWebSocket()
                    .onSuccess(ws -> new AgentSession(ws, authorization, sessions, publisher, stream, clock))
                    .onFailure(rc::fail);
        });
    }
}
