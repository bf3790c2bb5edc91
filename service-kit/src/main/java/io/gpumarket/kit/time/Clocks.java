package io.gpumarket.kit.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The clock deciders get their time from: UTC wall time, or an {@link AdjustableClock} when
 * {@code gpumarket.clock.adjustable=true} (end-to-end tests only), unless a test supplies its own bean.
 */
@ApplicationScoped
public class Clocks {
    @ConfigProperty(name = "gpumarket.clock.adjustable", defaultValue = "false")
    boolean adjustable;

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return adjustable ? new AdjustableClock() : Clock.systemUTC();
    }
}
