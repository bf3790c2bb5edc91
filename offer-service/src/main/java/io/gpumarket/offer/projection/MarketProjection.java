package io.gpumarket.offer.projection;

import io.gpumarket.events.Event;
import io.gpumarket.events.TopicSpec;
import io.gpumarket.events.Topics;
import io.gpumarket.kit.projection.MemoryProjection;
import io.gpumarket.offer.domain.Market;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The searchable market, in memory on every replica: reads {@code gpumarket.machines},
 * {@code gpumarket.offers} and {@code gpumarket.rentals} from offset 0 at start into a
 * {@link Market}, so an allocation or a machine going offline leaves search as soon as it is on
 * the log, with no table in between.
 */
@ApplicationScoped
public class MarketProjection implements MemoryProjection {
    private final Market market = new Market();

    public Market market() {
        return market;
    }

    @Override
    public String name() {
        return "offer-market";
    }

    @Override
    public List<TopicSpec<? extends Event>> topics() {
        return List.of(Topics.MACHINES, Topics.OFFERS, Topics.RENTALS);
    }

    @Override
    public void apply(Event event) {
        market.apply(event);
    }

    @Override
    public void reset() {
        market.reset();
    }

    @Override
    public String digest() {
        return market.digest();
    }
}
