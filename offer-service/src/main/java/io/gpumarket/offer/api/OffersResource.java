package io.gpumarket.offer.api;

import io.gpumarket.events.money.Money;
import io.gpumarket.kit.api.Callers;
import io.gpumarket.kit.api.Problem;
import io.gpumarket.events.offer.OfferIds;
import io.gpumarket.offer.domain.MarketMachine;
import io.gpumarket.offer.domain.Offer;
import io.gpumarket.offer.domain.OfferQuery;
import io.gpumarket.offer.projection.GpuHoldRow;
import io.gpumarket.offer.projection.MarketListingRow;
import io.gpumarket.offer.projection.MarketMachineRow;
import java.util.Map;
import java.util.stream.Collectors;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/v1/offers}: every chunk of every listed, online, healthy machine whose GPUs are
 * free right now, filtered by the query language and ordered (by total price unless asked
 * otherwise). With no match, an explanation says which filter emptied the list.
 */
@Path("/api/v1/offers")
@Produces(MediaType.APPLICATION_JSON)
public class OffersResource {
    private final Callers callers;
    private final Clock clock;
    private final long defaultDiskGb;
    private final long trafficGbPerHour;

    public OffersResource(Callers callers, Clock clock,
            @ConfigProperty(name = "gpumarket.offer.default-disk-gb") long defaultDiskGb,
            @ConfigProperty(name = "gpumarket.offer.expected-traffic-gb-per-hour") long trafficGbPerHour) {
        this.callers = callers;
        this.clock = clock;
        this.defaultDiskGb = defaultDiskGb;
        this.trafficGbPerHour = trafficGbPerHour;
    }

    public record OfferView(String id, String machineId, String gpuModel, int numGpus, int gpuRamGb, int cpuCores,
            int ramGb, int diskGb, String region, String pricePerHour, String totalPerHour, String minBidPerHour,
            String reliability, String dlperf, String verification, Instant endDate) {}

    public record Page(List<OfferView> offers, int total, String explanation) {}

    @GET
    public Page search(@QueryParam("q") @Size(max = 2000) String q, @QueryParam("order") @Size(max = 200) String order,
            @QueryParam("diskGb") @Min(1) @Max(1_000_000) Long diskGb,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        callers.current();
        OfferQuery query;
        java.util.Comparator<Offer> ordering;
        try {
            query = OfferQuery.parse(q);
            ordering = OfferQuery.order(order);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        Offer.Pricing pricing = new Offer.Pricing(diskGb == null ? defaultDiskGb : diskGb, trafficGbPerHour);
        List<Offer> available = available(clock.instant(), pricing, diskGb);
        List<Offer> matching = available.stream().filter(query::matches).sorted(ordering).toList();
        String explanation = null;
        if (matching.isEmpty()) {
            explanation = available.isEmpty()
                    ? "no machine is listed, online and free right now" + (diskGb == null ? "" : " with " + diskGb + " GB of disk")
                    : available.size() + " offers are available, but none matches every filter of q";
        }
        return new Page(matching.stream().limit(limit).map(OffersResource::view).toList(), matching.size(), explanation);
    }

    private static List<Offer> available(Instant now, Offer.Pricing pricing, Long diskGb) {
        List<Offer> out = new ArrayList<>();
        Map<String, MarketListingRow> listings = MarketListingRow.<MarketListingRow>list("listed = true and endDate > ?1", now)
                .stream().collect(Collectors.toMap(l -> l.machineId, l -> l));
        if (listings.isEmpty()) {
            return out;
        }
        Map<String, Long> held = GpuHoldRow.<GpuHoldRow>list("machineId in ?1", listings.keySet()).stream()
                .collect(Collectors.groupingBy(h -> h.machineId, Collectors.summingLong(h -> h.gpus)));
        for (MarketMachineRow r : MarketMachineRow.<MarketMachineRow>list(
                "online = true and failedChecks is null and id in ?1", listings.keySet())) {
            MarketListingRow l = listings.get(r.id);
            int free = r.gpuCount - held.getOrDefault(r.id, 0L).intValue();
            if (diskGb != null && diskGb > r.diskGb) {
                continue;
            }
            MarketMachine m = new MarketMachine(r.id, r.hostAccountId, r.gpuModel, r.gpuCount, r.gpuRamGb, r.cpuCores,
                    r.ramGb, r.diskGb, r.region, r.inetUpMbps, r.inetDownMbps, l.gpuPrice, l.storagePrice,
                    l.bandwidthPrice, l.minGpus, l.minBid, l.endDate, free);
            for (int n : OfferIds.chunkSizes(r.gpuCount, l.minGpus)) {
                if (n <= free) {
                    out.add(Offer.of(m, n, pricing));
                }
            }
        }
        return out;
    }

    private static OfferView view(Offer o) {
        MarketMachine m = o.machine();
        return new OfferView(o.id(), m.id(), m.gpuModel(), o.numGpus(), m.gpuRamGb(), o.cpuCores(), o.ramGb(),
                m.diskGb(), m.region(), Money.format(o.pricePerHourMicros()), Money.format(o.totalPerHourMicros()),
                Money.format(m.minBid()), null, null, "unverified", m.endDate());
    }
}
