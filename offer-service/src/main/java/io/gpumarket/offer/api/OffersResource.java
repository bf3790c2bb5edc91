package io.gpumarket.offer.api;

import io.gpumarket.events.money.Money;
import io.gpumarket.events.rental.RentalType;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.offer.domain.Offer;
import io.gpumarket.offer.domain.OfferOrder;
import io.gpumarket.offer.domain.OfferQuery;
import io.gpumarket.offer.domain.Quote;
import io.gpumarket.offer.domain.Search;
import io.gpumarket.offer.projection.MarketProjection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/v1/offers}: a search of the in-memory market ({@link MarketProjection}), so it
 * sees every allocation, release and machine going offline as soon as the log has it. Prices are
 * what the asked rental type would pay; {@code totalPerHour} adds the asked disk and the expected
 * traffic; with no match, an explanation of which filters emptied the list.
 */
@Path("/api/v1/offers")
@Produces(MediaType.APPLICATION_JSON)
public class OffersResource {
    /** How deep a cursor may page: the search keeps offset + limit offers in a heap. */
    static final int MAX_DEPTH = 10_000;

    private final Callers callers;
    private final Clock clock;
    private final MarketProjection market;
    private final long defaultDiskGb;
    private final long trafficGbPerHour;

    public OffersResource(Callers callers, Clock clock, MarketProjection market,
            @ConfigProperty(name = "gpumarket.offer.default-disk-gb") long defaultDiskGb,
            @ConfigProperty(name = "gpumarket.offer.expected-traffic-gb-per-hour") long trafficGbPerHour) {
        this.callers = callers;
        this.clock = clock;
        this.market = market;
        this.defaultDiskGb = defaultDiskGb;
        this.trafficGbPerHour = trafficGbPerHour;
    }

    public record OfferView(String id, String machineId, String hostId, String gpuModel, int numGpus, int gpuRamGb,
            int cpuCores, int ramGb, int diskGb, String region, int inetUpMbps, int inetDownMbps, String rentalType,
            String pricePerHour, String totalPerHour, String minBidPerHour, BigDecimal reliability, BigDecimal dlperf,
            BigDecimal dlperfPerDollar, BigDecimal score, String verification, String cudaVersion,
            String driverVersion, boolean preemptsInterruptible, Instant endDate, BigDecimal durationDays) {}

    public record Page(List<OfferView> offers, int total, String next, String explanation,
            Search.Explanation explanationDetail) {}

    @GET
    public Page search(@QueryParam("q") @Size(max = 2000) String q, @QueryParam("order") @Size(max = 200) String order,
            @QueryParam("type") @DefaultValue("ondemand") @Pattern(regexp = "ondemand|interruptible|reserved",
                    message = "must be ondemand, interruptible or reserved") String type,
            @QueryParam("reservedMonths") @Min(1) @Max(36) Integer reservedMonths,
            @QueryParam("diskGb") @Min(1) @Max(1_000_000) Long diskGb,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") @Pattern(regexp = "\\d{1,5}", message = "must be a cursor from a previous page")
                    String cursor) {
        callers.current();
        RentalType rentalType = RentalType.valueOf(type.toUpperCase(Locale.ROOT));
        if (rentalType == RentalType.RESERVED && reservedMonths == null) {
            throw Problem.invalid("reservedMonths", "a reserved search needs reservedMonths (1 to 36)");
        }
        int offset = cursor == null ? 0 : Integer.parseInt(cursor);
        if (offset + limit > MAX_DEPTH) {
            throw Problem.badRequest("a search pages at most " + MAX_DEPTH + " offers deep; narrow the query");
        }
        OfferQuery query;
        OfferOrder ordering;
        try {
            query = OfferQuery.parse(q);
            ordering = OfferOrder.parse(order);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        int months = rentalType == RentalType.RESERVED ? reservedMonths : 0;
        Quote quote = new Quote(rentalType, months, diskGb == null ? defaultDiskGb : diskGb, trafficGbPerHour);
        Search.Result result = Search.run(market.market(), quote.narrow(query, diskGb != null), ordering, quote,
                clock.instant(), offset, limit);
        String next = result.total() > offset + limit && offset + 2 * limit <= MAX_DEPTH
                ? Integer.toString(offset + limit) : null;
        var why = result.explanation();
        return new Page(result.offers().stream().map(o -> view(o, rentalType)).toList(), result.total(), next,
                why == null ? null : why.text(), why);
    }

    private static OfferView view(Offer o, RentalType type) {
        var m = o.machine();
        return new OfferView(o.id(), m.id(), m.hostAccountId(), m.gpuModel(), o.numGpus(), m.gpuRamGb(), o.cpuCores(),
                o.ramGb(), m.diskGb(), m.region(), m.inetUpMbps(), m.inetDownMbps(), type.wire(),
                Money.format(o.pricePerHourMicros()), Money.format(o.totalPerHourMicros()),
                Money.format(o.minBidPerHourMicros()), BigDecimal.valueOf(m.reliabilityPpm(), 6),
                decimal(o.dlperfCenti()), decimal(o.dlperfPerDollarCenti()), BigDecimal.valueOf(o.score(), 2),
                m.verification(), m.cudaVersion(), m.driverVersion(), o.preempts(), o.endDate(),
                BigDecimal.valueOf(o.durationCentiDays(), 2));
    }

    private static BigDecimal decimal(Long centi) {
        return centi == null ? null : BigDecimal.valueOf(centi, 2);
    }
}
