package io.gpumarket.gateway.routing;

import io.gpumarket.events.account.KeyHash;
import io.gpumarket.gateway.limits.Budget;
import io.gpumarket.gateway.limits.RateLimits;
import io.gpumarket.gateway.openapi.PublicApiDocument;
import io.gpumarket.gateway.projection.KeysProjection;
import io.gpumarket.gateway.projection.KeysProjection.KeyOwner;
import io.gpumarket.kit.api.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Routes {@code /api/v1} to the service that owns each path. Authenticates every call but account
 * creation and the agent channel with the API-key hashes the gateway projects from
 * {@code gpumarket.accounts}, passes the caller on in {@code X-Gpumarket-Account}/{@code -Role}
 * (stripping any a client sent), stamps an {@code X-Request-Id}, and answers its own errors as
 * problem+json. Read-only keys only read; operator paths need an operator; every caller draws on
 * its {@link Budget}s (429 with {@code Retry-After} when spent). A new key works as soon as the
 * response that issued it returns, and a revoked one has stopped when the revocation's response
 * returns: the gateway waits until its own projection agrees. The
 * agent's WebSocket is proxied to node-service, bounded in messages per second, at most
 * {@code gpumarket.gateway.max-agent-channels} at once (503 with {@code Retry-After} beyond, counted
 * in the gauge {@code gpumarket.gateway.agent.channels}). Serves the merged
 * OpenAPI document of the public API.
 */
@ApplicationScoped
public class GatewayRouter {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "host", "content-length", "te", "trailer", "proxy-authorization", "proxy-authenticate");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String REQUEST_ID = "X-Request-Id";
    private static final String REVOKE_PREFIX = "/api/v1/account/api-keys/";
    /** Longest wait for a connection to a service, opened or taken from the pool. */
    private static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

    private static final int MAX_URI_LENGTH = 2048;
    /** NUL and the other control characters, raw or percent-encoded: never part of an id or a query. */
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("[\\x00-\\x1f\\x7f]|%(?:[01][0-9a-fA-F]|7[fF])");

    private final KeysProjection keys;
    private final RateLimits limits;
    private final Map<Upstream, List<URI>> upstreams;
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    private final Duration timeout;
    private final int maxConnections;
    private final int maxWaitingRequests;
    private final int maxEventStreams;
    private final AgentChannels agentChannels;
    private HttpClient client;
    private HttpClient agentClient;
    private HttpClient streamClient;
    private volatile CachedDocument openApi;

    public GatewayRouter(KeysProjection keys, RateLimits limits,
            @ConfigProperty(name = "gpumarket.gateway.billing-url") List<URI> billing,
            @ConfigProperty(name = "gpumarket.gateway.node-url") List<URI> node,
            @ConfigProperty(name = "gpumarket.gateway.offer-url") List<URI> offer,
            @ConfigProperty(name = "gpumarket.gateway.rental-url") List<URI> rental,
            @ConfigProperty(name = "gpumarket.gateway.upstream-timeout") Duration timeout,
            @ConfigProperty(name = "gpumarket.gateway.max-connections") int maxConnections,
            @ConfigProperty(name = "gpumarket.gateway.max-waiting-requests") int maxWaitingRequests,
            @ConfigProperty(name = "gpumarket.gateway.max-event-streams") int maxEventStreams,
            @ConfigProperty(name = "gpumarket.gateway.max-agent-channels") int maxAgentChannels, MeterRegistry meters) {
        this.keys = keys;
        this.limits = limits;
        this.upstreams = Map.of(Upstream.BILLING, billing, Upstream.NODE, node, Upstream.OFFER, offer,
                Upstream.RENTAL, rental);
        this.timeout = timeout;
        this.maxConnections = maxConnections;
        this.maxWaitingRequests = maxWaitingRequests;
        this.maxEventStreams = maxEventStreams;
        this.agentChannels = new AgentChannels(maxAgentChannels);
        meters.gauge("gpumarket.gateway.agent.channels", agentChannels, AgentChannels::open);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        client = vertx.createHttpClient(clientOptions().setMaxPoolSize(maxConnections)
                .setMaxWaitQueueSize(maxWaitingRequests));
        streamClient = vertx.createHttpClient(clientOptions().setMaxPoolSize(maxEventStreams).setMaxWaitQueueSize(0));
        // Vert.x holds a client to 50 WebSockets per server unless told otherwise, and queues the rest
        agentClient = vertx.createHttpClient(clientOptions().setMaxWebSockets(agentChannels.cap()));
    }

    private static HttpClientOptions clientOptions() {
        return new HttpClientOptions().setConnectTimeout((int) CONNECTION_WAIT.toMillis());
    }

    void routes(@Observes Router router) {
        router.get("/api/v1/openapi.json").order(-11).handler(this::openApi);
        router.route("/api/v1/agent").order(-10).handler(this::agent);
        router.route("/api/v1/*").order(-9).handler(BodyHandler.create().setBodyLimit(1024 * 1024))
                .failureHandler(rc -> Problems.send(rc, rc.statusCode() == 413 ? 413 : 400,
                        rc.statusCode() == 413 ? "Content Too Large" : "Bad Request",
                        rc.statusCode() == 413 ? "the body is larger than 1 MiB" : "the request could not be read"));
        router.route("/api/v1/*").order(-8).handler(this::route);
        // whatever no route answered (outside /api/v1 and the /q endpoints) is a problem+json 404
        router.route().last().handler(rc -> Problems.send(rc, 404, "Not Found",
                "no such endpoint: " + rc.request().method() + " " + rc.normalizedPath()));
    }

    private void route(RoutingContext rc) {
        String requestId = Optional.ofNullable(rc.request().getHeader(REQUEST_ID))
                .filter(id -> SAFE_REQUEST_ID.matcher(id).matches()).orElse(UUID.randomUUID().toString());
        rc.request().headers().set(REQUEST_ID, requestId);
        rc.response().putHeader(REQUEST_ID, requestId);
        rc.request().headers().remove(Caller.ACCOUNT_HEADER);
        rc.request().headers().remove(Caller.ROLE_HEADER);
        if (rc.request().uri().length() > MAX_URI_LENGTH) {
            Problems.send(rc, 414, "URI Too Long", "the path and query are longer than " + MAX_URI_LENGTH
                    + " characters");
            return;
        }
        if (CONTROL_CHARACTERS.matcher(rc.request().uri()).find()) {
            Problems.send(rc, 400, "Bad Request", "the path or query contains control characters");
            return;
        }
        String method = rc.request().method().name();
        String path = rc.normalizedPath();
        Optional<Route> route = Route.of(method, path);
        if (route.isEmpty()) {
            Problems.send(rc, 404, "Not Found", "no such endpoint: " + method + " " + path);
            return;
        }
        String address = rc.request().remoteAddress().hostAddress();
        if (!route.get().authenticated()) {
            if (refused(rc, Budget.SIGNUP, address)) {
                return;
            }
            forward(rc, route.get().upstream());
            return;
        }
        Optional<java.time.Duration> guessing = limits.exhausted(Budget.AUTH_FAILURES, address);
        if (guessing.isPresent()) {
            tooMany(rc, guessing.get(), "too many requests with unknown keys from this address");
            return;
        }
        String authorization = rc.request().getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() > 300) {
            limits.take(Budget.AUTH_FAILURES, address);
            Problems.send(rc, 401, "Unauthorized", "a valid API key is required (Authorization: Bearer <key>)");
            return;
        }
        String hash = KeyHash.of(authorization.substring(7).trim());
        Optional<KeyOwner> owner = keys.owner(hash);
        if (owner.isEmpty()) {
            limits.take(Budget.AUTH_FAILURES, address);
            Problems.send(rc, 401, "Unauthorized", "the API key is unknown or revoked");
            return;
        }
        KeyOwner o = owner.get();
        if (refused(rc, Budget.of(method, path), hash)) {
            return;
        }
        if (o.readOnly() && !method.equals("GET") && !method.equals("HEAD")) {
            Problems.send(rc, 403, "Forbidden", "this API key is read-only");
            return;
        }
        if (route.get().operatorOnly() && !o.role().equals("operator")) {
            Problems.send(rc, 403, "Forbidden", "operator endpoints need an operator's key");
            return;
        }
        rc.request().headers().set(Caller.ACCOUNT_HEADER, o.accountId());
        rc.request().headers().set(Caller.ROLE_HEADER, o.role());
        if (route.get().upstream() == Upstream.SELF) {
            rc.next();
        } else {
            forward(rc, route.get().upstream());
        }
    }

    /** One of the service's replicas (their URLs come comma-separated in its setting), in turn. */
    private URI pick(Upstream upstream) {
        List<URI> replicas = upstreams.get(upstream);
        return replicas.get(Math.floorMod(turn.getAndIncrement(), replicas.size()));
    }

    /** Takes a token of {@code budget} for {@code caller}; true (and a 429 sent) if there was none. */
    private boolean refused(RoutingContext rc, Budget budget, String caller) {
        Optional<java.time.Duration> wait = limits.take(budget, caller);
        wait.ifPresent(w -> tooMany(rc, w, "the " + budget.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " budget allows " + limits.perSecond(budget) + " requests per second"));
        return wait.isPresent();
    }

    private static void tooMany(RoutingContext rc, java.time.Duration wait, String detail) {
        rc.response().putHeader("Retry-After", Long.toString(RateLimits.retryAfterSeconds(wait)));
        Problems.send(rc, 429, "Too Many Requests", detail);
    }

    /** The merged OpenAPI document of every service's public paths, fetched again after a minute. */
    private void openApi(RoutingContext rc) {
        var cached = openApi;
        if (cached != null && System.nanoTime() - cached.fetchedAt < Duration.ofMinutes(1).toNanos()) {
            rc.response().putHeader("Content-Type", "application/json").end(cached.json);
            return;
        }
        Map<String, URI> services = new java.util.LinkedHashMap<>();
        for (Upstream u : List.of(Upstream.BILLING, Upstream.NODE, Upstream.OFFER, Upstream.RENTAL)) {
            services.put(u.serviceName(), upstreams.get(u).get(0));
        }
        services.put(Upstream.SELF.serviceName(), URI.create("http://localhost:" + rc.request().localAddress().port()));
        PublicApiDocument.fetch(client, services, Duration.ofSeconds(5)).onSuccess(doc -> {
            String json = doc.toString();
            openApi = new CachedDocument(json, System.nanoTime());
            rc.response().putHeader("Content-Type", "application/json").end(json);
        }).onFailure(e -> {
            rc.response().putHeader("Retry-After", "5");
            Problems.send(rc, 503, "Service Unavailable", "a service did not give its OpenAPI document: "
                    + e.getClass().getSimpleName());
        });
    }

    private record CachedDocument(String json, long fetchedAt) {}

    private void forward(RoutingContext rc, Upstream upstream) {
        forward(rc, upstream, turn.getAndIncrement(), 0);
    }

    /**
     * Sends the request to replica {@code first + tried} (in turn); if no connection to it can be
     * made (the request was not sent), to the next one, until every replica was tried.
     */
    private void forward(RoutingContext rc, Upstream upstream, int first, int tried) {
        List<URI> replicas = upstreams.get(upstream);
        URI base = replicas.get(Math.floorMod(first + tried, replicas.size()));
        var options = new RequestOptions().setMethod(rc.request().method()).setHost(base.getHost())
                .setPort(base.getPort()).setURI(rc.request().uri()).setConnectTimeout(CONNECTION_WAIT.toMillis())
                .setTimeout(timeout.toMillis());
        rc.request().headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        options.addHeader("X-Forwarded-For", rc.request().remoteAddress().hostAddress());
        Buffer body = rc.body().buffer();
        (opensEventStream(rc) ? streamClient : client).request(options).onFailure(notConnected -> {
            if (tried + 1 < replicas.size()) {
                forward(rc, upstream, first, tried + 1);
            } else {
                notSent(rc, upstream, notConnected);
            }
        }).onSuccess(request -> (body == null ? request.send() : request.send(body))
                .onSuccess(resp -> {
                    if (isEventStream(resp)) {
                        stream(rc, resp);
                        return;
                    }
                    resp.body().map(b -> new Answer(resp, b))
                            .compose(answer -> afterKeyChange(rc, answer))
                            .onSuccess(answer -> headersFrom(answer.response, rc).end(answer.body))
                            .onFailure(e -> upstreamFailed(rc, upstream, e));
                })
                .onFailure(e -> upstreamFailed(rc, upstream, e)));
    }

    /**
     * A status stream stays open as long as its client watches: it gets a connection of its own, out
     * of the pool the calls share, or 64 watchers would leave no connection for anything else.
     */
    private static boolean opensEventStream(RoutingContext rc) {
        String accept = rc.request().getHeader("Accept");
        return rc.normalizedPath().endsWith("/status-stream") || (accept != null && accept.contains("text/event-stream"));
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

    /**
     * No replica took the request, so nothing was done: all of them busy (every connection in use and
     * the wait queue full, or no connection free within {@link #CONNECTION_WAIT}) is 503 with
     * {@code Retry-After}; none reachable is 502.
     */
    private void notSent(RoutingContext rc, Upstream upstream, Throwable e) {
        if (e instanceof ConnectionPoolTooBusyException || e instanceof TimeoutException) {
            rc.response().putHeader("Retry-After", "1");
            Problems.send(rc, 503, "Service Unavailable", upstream.serviceName()
                    + " is busy: the request was not sent; send it again");
        } else {
            Problems.send(rc, 502, "Bad Gateway", upstream.serviceName() + " could not be reached: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * The request was sent and no whole answer came back: past the timeout 504, else 502. Either way
     * the service may have carried it out; the detail says so, since a POST repeated with the same
     * {@code Idempotency-Key} is the safe way to find out.
     */
    private void upstreamFailed(RoutingContext rc, Upstream upstream, Throwable e) {
        if (rc.response().headWritten()) {
            return;
        }
        String maybeDone = "; the request may have been carried out (repeat it with the same Idempotency-Key)";
        if (e instanceof TimeoutException) {
            Problems.send(rc, 504, "Gateway Timeout", upstream.serviceName() + " did not answer within "
                    + timeout.toSeconds() + " s" + maybeDone);
        } else {
            Problems.send(rc, 502, "Bad Gateway", upstream.serviceName() + " did not answer: "
                    + e.getClass().getSimpleName() + maybeDone);
        }
    }

    private record Answer(HttpClientResponse response, Buffer body) {}

    /**
     * A new key (a new account's first, or another one) must work once the response is out, and a
     * revoked one must have stopped: wait (at most 5 s) until our projection agrees.
     */
    private Future<Answer> afterKeyChange(RoutingContext rc, Answer answer) {
        String path = rc.normalizedPath();
        java.util.function.BooleanSupplier settled;
        if (rc.request().method() == HttpMethod.POST && answer.response.statusCode() == 201
                && (path.equals("/api/v1/accounts") || path.equals("/api/v1/account/api-keys"))) {
            String hash = KeyHash.of(new JsonObject(answer.body).getString("apiKey"));
            settled = () -> keys.owner(hash).isPresent();
        } else if (rc.request().method() == HttpMethod.DELETE && answer.response.statusCode() == 204
                && path.startsWith(REVOKE_PREFIX)) {
            String keyId = path.substring(REVOKE_PREFIX.length());
            settled = () -> !keys.isLive(keyId);
        } else {
            return Future.succeededFuture(answer);
        }
        return rc.vertx().executeBlocking(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && !settled.getAsBoolean()) {
                Thread.sleep(10);
            }
            return answer;
        }, false);
    }

    /** Proxies an agent's WebSocket to node-service, frame by frame, with its Authorization header. */
    private void agent(RoutingContext rc) {
        if (refused(rc, Budget.AGENT_CONNECT, rc.request().remoteAddress().hostAddress())) {
            return;
        }
        Optional<AgentChannels.Slot> free = agentChannels.tryOpen();
        if (free.isEmpty()) {
            rc.response().putHeader("Retry-After", "5");
            Problems.send(rc, 503, "Service Unavailable", "this gateway carries its most agent channels ("
                    + agentChannels.cap() + "); connect again later");
            return;
        }
        AgentChannels.Slot slot = free.get();
        URI base = pick(Upstream.NODE);
        var options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI("/api/v1/agent").setTimeout(10_000);
        String authorization = rc.request().getHeader("Authorization");
        if (authorization != null) {
            options.addHeader("Authorization", authorization);
        }
        rc.request().pause();
        agentClient.webSocket(options).onFailure(e -> {
            slot.release();
            rc.request().resume();
            Problems.send(rc, 502, "Bad Gateway", "node-service did not accept the agent channel");
        }).onSuccess(upstream -> {
            rc.request().resume();
            // until the agent's side is open too; then the handler below takes over, releasing as well
            upstream.closeHandler(v -> slot.release());
            rc.request().toWebSocket().onFailure(e -> upstream.close()).onSuccess(agent -> {
                var budget = limits.connectionBucket(Budget.AGENT_MESSAGES);
                agent.textMessageHandler(text -> {
                    if (budget.isPresent() && !budget.get().tryConsume(1)) {
                        // the channel is bounded: an agent that floods it is cut off and reconnects
                        agent.close((short) 1008, "more than " + limits.perSecond(Budget.AGENT_MESSAGES)
                                + " messages per second");
                        return;
                    }
                    upstream.writeTextMessage(text);
                });
                upstream.textMessageHandler(agent::writeTextMessage);
                agent.closeHandler(v -> upstream.close());
                upstream.closeHandler(v -> {
                    slot.release();
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
