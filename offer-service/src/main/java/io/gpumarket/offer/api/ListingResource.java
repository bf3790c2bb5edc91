package io.gpumarket.offer.api;

import io.gpumarket.events.EventMeta;
import io.gpumarket.events.Topics;
import io.gpumarket.events.account.Role;
import io.gpumarket.events.money.Money;
import io.gpumarket.events.offer.ListingTerms;
import io.gpumarket.events.offer.OfferEvent.ListingWithdrawn;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.ListingView;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.projection.Projections;
import io.gpumarket.offer.domain.ListingDecider;
import io.gpumarket.offer.domain.MarketMachine;
import io.gpumarket.offer.projection.MarketProjection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code PUT/DELETE /api/v1/machines/{id}/listing}: a host lists its machine on the market
 * ({@code ListingPublished} on {@code gpumarket.offers}; new terms apply to new rentals only, and a
 * later end date at no higher price extends the live contracts: {@code ContractsExtended}) or
 * unlists it ({@code ListingWithdrawn}: no new rentals, running ones go on). A machine that failed
 * its hardware checks cannot be listed (422 naming them). Answers once search shows the change.
 */
@Path("/api/v1/machines/{id}/listing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ListingResource {
    private final EventPublisher publisher;
    private final Projections projections;
    private final MarketProjection market;
    private final Callers callers;
    private final Clock clock;

    public ListingResource(EventPublisher publisher, Projections projections, MarketProjection market,
            Callers callers, Clock clock) {
        this.publisher = publisher;
        this.projections = projections;
        this.market = market;
        this.callers = callers;
        this.clock = clock;
    }

    public record ListingRequest(
            @NotNull @Size(max = 32) String gpuPricePerHour,
            @NotNull @Size(max = 32) String storagePricePerGbMonth,
            @NotNull @Size(max = 32) String bandwidthPricePerTb,
            @NotNull Integer minGpus,
            @Size(max = 32) String minBidPerHour,
            @Size(max = 32) String reservedDiscountMax,
            @NotNull Instant endDate) {}

    /** The listing as stored, and what it did to the live contracts on the machine. */
    public record ListingResponse(String machineId, ListingView listing, ListingDecider.Extension extension) {}

    @PUT
    public ListingResponse list(@PathParam("id") String machineId, @Valid @NotNull ListingRequest body) {
        MarketMachine m = ownMachine(machineId);
        if (!m.failedChecks().isEmpty()) {
            throw Problem.invalid("the machine failed its hardware checks: " + String.join(", ", m.failedChecks()),
                    m.failedChecks().stream().map(c -> new Problem.FieldError("checks." + c, "failed")).toList());
        }
        Instant now = clock.instant();
        ListingTerms terms = terms(body, m.gpuCount(), now);
        var decision = ListingDecider.decide(m, terms, () -> new EventMeta(UUID.randomUUID(), machineId, 0, now,
                callers.requestId()));
        projections.awaitApplied(publisher.publish(decision.events()), Duration.ofSeconds(5));
        return new ListingResponse(machineId, ListingView.of(terms), decision.extension());
    }

    @DELETE
    public Response unlist(@PathParam("id") String machineId) {
        ownMachine(machineId);
        var event = new ListingWithdrawn(new EventMeta(UUID.randomUUID(), machineId, 0, clock.instant(),
                callers.requestId()));
        projections.awaitApplied(publisher.publish(event), Duration.ofSeconds(5));
        return Response.noContent().build();
    }

    /** The caller's machine; one registered a moment ago through node-service is waited for. */
    private MarketMachine ownMachine(String machineId) {
        String host = callers.require(Role.HOST).accountId();
        var m = market.market().machine(machineId);
        if (m.isEmpty() && projections.awaitCurrent(Topics.MACHINES.name(), Duration.ofSeconds(2))) {
            m = market.market().machine(machineId);
        }
        if (m.isEmpty() || !m.get().hostAccountId().equals(host)) {
            throw Problem.notFound("machine");
        }
        return m.get();
    }

    static ListingTerms terms(ListingRequest b, int gpuCount, Instant now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        long gpu = money("gpuPricePerHour", b.gpuPricePerHour(), errors);
        long storage = money("storagePricePerGbMonth", b.storagePricePerGbMonth(), errors);
        long bandwidth = money("bandwidthPricePerTb", b.bandwidthPricePerTb(), errors);
        long minBid = b.minBidPerHour() == null ? 0 : money("minBidPerHour", b.minBidPerHour(), errors);
        if (gpu == 0 && errors.stream().noneMatch(e -> e.field().equals("gpuPricePerHour"))) {
            errors.add(new Problem.FieldError("gpuPricePerHour", "must be more than 0"));
        }
        if (b.minGpus() < 1 || Integer.bitCount(b.minGpus()) != 1 || b.minGpus() > gpuCount) {
            errors.add(new Problem.FieldError("minGpus", "must be 1 or a power of two, at most the machine's "
                    + gpuCount + " GPUs"));
        }
        int discountBps = 0;
        if (b.reservedDiscountMax() != null) {
            try {
                BigDecimal d = new BigDecimal(b.reservedDiscountMax());
                if (d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0 || d.scale() > 4) {
                    throw new NumberFormatException();
                }
                discountBps = d.movePointRight(4).intValueExact();
            } catch (RuntimeException e) {
                errors.add(new Problem.FieldError("reservedDiscountMax", "must be a decimal from 0 to 1"));
            }
        }
        if (!b.endDate().isAfter(now)) {
            errors.add(new Problem.FieldError("endDate", "must be in the future"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the listing has invalid fields", errors);
        }
        return new ListingTerms(gpu, storage, bandwidth, b.minGpus(), minBid, discountBps, b.endDate());
    }

    private static long money(String field, String value, List<Problem.FieldError> errors) {
        try {
            long micros = Money.parseMicros(value);
            if (micros < 0 || micros > Money.parseMicros("100000")) {
                errors.add(new Problem.FieldError(field, "must be from 0 to 100000"));
            }
            return micros;
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field, e.getMessage()));
            return 0;
        }
    }
}
