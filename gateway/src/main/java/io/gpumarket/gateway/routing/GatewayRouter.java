package io.gpumarket.gateway.routing;

import io.gpumarket.events.account.KeyHash;
import io.gpumarket.gateway.projection.KeysProjection;
import io.gpumarket.gateway.projection.KeysProjection.KeyOwner;
import io.gpumarket.kit.api.Caller;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Routes {@code /api/v1} to the service that owns each path. Authenticates every call but account
 * creation and the agent channel with the API-key hashes the gateway projects from
 * {@code gpumarket.accounts}, passes the caller on in {@code X-Gpumarket-Account}/{@code -Role}
 * (stripping any a client sent), stamps an {@code X-Request-Id}, and answers its own errors as
 * problem+json. A new account's key works as soon as its creation response returns: the gateway
 * waits until its own projection holds the key. The agent's WebSocket is proxied to node-service.
 */
@ApplicationScoped
public class GatewayRouter {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "host", "content-length", "te", "trailer", "proxy-authorization", "proxy-authenticate");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String REQUEST_ID = "X-Request-Id";

    private final KeysProjection keys;
    private final Map<Upstream, URI> upstreams;
    private final Duration timeout;
    private HttpClient client;

    public GatewayRouter(KeysProjection keys,
            @ConfigProperty(name = "gpumarket.gateway.billing-url") URI billing,
            @ConfigProperty(name = "gpumarket.gateway.node-url") URI node,
            @ConfigProperty(name = "gpumarket.gateway.offer-url") URI offer,
            @ConfigProperty(name = "gpumarket.gateway.rental-url") URI rental,
            @ConfigProperty(name = "gpumarket.gateway.upstream-timeout") Duration timeout) {
        this.keys = keys;
        this.upstreams = Map.of(Upstream.BILLING, billing, Upstream.NODE, node, Upstream.OFFER, offer,
                Upstream.RENTAL, rental);
        this.timeout = timeout;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setMaxPoolSize(64));
    }

    void routes(@Observes Router router) {
        router.route("/api/v1/agent").order(-10).handler(this::agent);
        router.route("/api/v1/*").order(-9).handler(BodyHandler.create().setBodyLimit(1024 * 1024))
                .failureHandler(rc -> Problems.send(rc, rc.statusCode() == 413 ? 413 : 400,
                        rc.statusCode() == 413 ? "Content Too Large" : "Bad Request",
                        rc.statusCode() == 413 ? "the body is larger than 1 MiB" : "the request could not be read"));
        router.route("/api/v1/*").order(-8).handler(this::route);
    }

    private void route(RoutingContext rc) {
        String requestId = Optional.ofNullable(rc.request().getHeader(REQUEST_ID))
                .filter(id -> SAFE_REQUEST_ID.matcher(id).matches()).orElse(UUID.randomUUID().toString());
        rc.request().headers().set(REQUEST_ID, requestId);
        rc.response().putHeader(REQUEST_ID, requestId);
        rc.request().headers().remove(Caller.ACCOUNT_HEADER);
        rc.request().headers().remove(Caller.ROLE_HEADER);
        Optional<Route> route = Route.of(rc.request().method().name(), rc.normalizedPath());
        if (route.isEmpty()) {
            Problems.send(rc, 404, "Not Found", "no such endpoint: " + rc.request().method() + " " + rc.normalizedPath());
            return;
        }
        if (!route.get().authenticated()) {
            forward(rc, route.get().upstream());
            return;
        }
        String authorization = rc.request().getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() > 300) {
            Problems.send(rc, 401, "Unauthorized", "a valid API key is required (Authorization: Bearer <key>)");
            return;
        }
        String hash = KeyHash.of(authorization.substring(7).trim());
        Optional<KeyOwner> owner = keys.owner(hash);
        if (owner.isEmpty()) {
            Problems.send(rc, 401, "Unauthorized", "the API key is unknown or revoked");
            return;
        }
        KeyOwner o = owner.get();
        rc.request().headers().set(Caller.ACCOUNT_HEADER, o.accountId());
        rc.request().headers().set(Caller.ROLE_HEADER, o.role());
        if (route.get().upstream() == Upstream.SELF) {
            rc.next();
        } else {
            forward(rc, route.get().upstream());
        }
    }

    private void forward(RoutingContext rc, Upstream upstream) {
        URI base = upstreams.get(upstream);
        var options = new RequestOptions().setMethod(rc.request().method()).setHost(base.getHost())
                .setPort(base.getPort()).setURI(rc.request().uri()).setTimeout(timeout.toMillis());
        rc.request().headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        options.addHeader("X-Forwarded-For", rc.request().remoteAddress().hostAddress());
        Buffer body = rc.body().buffer();
        client.request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .onSuccess(resp -> {
                    if (isEventStream(resp)) {
                        stream(rc, resp);
                        return;
                    }
                    resp.body().map(b -> new Answer(resp, b))
                            .compose(answer -> afterAccountCreated(rc, answer))
                            .onSuccess(answer -> headersFrom(answer.response, rc).end(answer.body))
                            .onFailure(e -> upstreamFailed(rc, upstream, e));
                })
                .onFailure(e -> upstreamFailed(rc, upstream, e));
    }

    private static boolean isEventStream(HttpClientResponse resp) {
        String type = resp.getHeader("Content-Type");
        return type != null && type.startsWith("text/event-stream");
    }

    /** Server-Sent Events pass through as they come, until either side closes. */
    private static void stream(RoutingContext rc, HttpClientResponse resp) {
        var out = headersFrom(resp, rc).setChunked(true);
        resp.pipeTo(out);
        rc.request().connection().closeHandler(closed -> resp.request().connection().close());
    }

    private static io.vertx.core.http.HttpServerResponse headersFrom(HttpClientResponse resp, RoutingContext rc) {
        var out = rc.response().setStatusCode(resp.statusCode());
        resp.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                out.putHeader(h.getKey(), h.getValue());
            }
        });
        return out;
    }

    private static void upstreamFailed(RoutingContext rc, Upstream upstream, Throwable e) {
        if (!rc.response().headWritten()) {
            Problems.send(rc, 502, "Bad Gateway", upstream.serviceName() + " did not answer: "
                    + e.getClass().getSimpleName());
        }
    }

    private record Answer(HttpClientResponse response, Buffer body) {}

    /** A new account's key must work once the response is out: wait for our projection to hold it. */
    private Future<Answer> afterAccountCreated(RoutingContext rc, Answer answer) {
        if (!(rc.request().method() == HttpMethod.POST && rc.normalizedPath().equals("/api/v1/accounts")
                && answer.response.statusCode() == 201)) {
            return Future.succeededFuture(answer);
        }
        String apiKey = new JsonObject(answer.body).getString("apiKey");
        String hash = KeyHash.of(apiKey);
        return rc.vertx().executeBlocking(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && keys.owner(hash).isEmpty()) {
                Thread.sleep(10);
            }
            return answer;
        }, false);
    }

    /** Proxies an agent's WebSocket to node-service, frame by frame, with its Authorization header. */
    private void agent(RoutingContext rc) {
        URI base = upstreams.get(Upstream.NODE);
        var options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI("/api/v1/agent").setTimeout(10_000);
        String authorization = rc.request().getHeader("Authorization");
        if (authorization != null) {
            options.addHeader("Authorization", authorization);
        }
        rc.request().pause();
        client.webSocket(options).onFailure(e -> {
            rc.request().resume();
            Problems.send(rc, 502, "Bad Gateway", "node-service did not accept the agent channel");
        }).onSuccess(upstream -> {
            rc.request().resume();
            rc.request().toWebSocket().onFailure(e -> upstream.close()).onSuccess(agent -> {
                agent.textMessageHandler(upstream::writeTextMessage);
                upstream.textMessageHandler(agent::writeTextMessage);
                agent.closeHandler(v -> upstream.close());
                upstream.closeHandler(v -> {
                    Short code = upstream.closeStatusCode();
                    if (code != null) {
                        agent.close(code, upstream.closeReason());
                    } else {
                        agent.close();
                    }
                });
            });
        });
    }
}
