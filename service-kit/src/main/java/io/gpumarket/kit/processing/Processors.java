package io.gpumarket.kit.processing;

import io.gpumarket.events.Event;
import io.gpumarket.kit.kafka.DeadLetters;
import io.gpumarket.kit.kafka.EventPublisher;
import io.gpumarket.kit.kafka.KafkaSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Starts a {@link ProcessorRunner} for every {@link Processor} bean; ready once each has recovered.
 * Writes the API's requests through the processor that decides them ({@link #write}). Counts each
 * runner's committed Kafka transactions in {@code gpumarket_processor_transactions_total}.
 */
@Readiness
@Default
@ApplicationScoped
public class Processors implements HealthCheck {
    private final List<ProcessorRunner<?>> runners = new ArrayList<>();

    public Processors(@Any Instance<Processor<?>> processors, KafkaSettings settings, DeadLetters deadLetters,
            Clock clock, MeterRegistry meters) {
        for (Processor<?> p : processors) {
            var runner = new ProcessorRunner<>(p, settings, deadLetters, clock);
            runners.add(runner);
            FunctionCounter.builder("gpumarket.processor.transactions", runner, ProcessorRunner::transactions)
                    .tag("processor", p.name()).description("Kafka transactions the processor committed")
                    .register(meters);
        }
    }

    /**
     * Writes a request from this service's API through the processor it is an input of, and returns
     * once it is on the log ({@link ProcessorRunner#submit}): when this replica owns its partition
     * the processor may decide it in the same transaction, one trip through the log and one
     * transaction fewer than writing it with the {@code EventPublisher}.
     */
    public void write(Event request) {
        ProcessorRunner<?> runner = runners.stream().filter(r -> r.takes(request)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no processor decides " + request.getClass().getSimpleName()));
        EventPublisher.awaitWritten(runner.submit(request));
    }

    void onStart(@Observes @Priority(200) StartupEvent event) {
        runners.forEach(ProcessorRunner::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        runners.forEach(ProcessorRunner::stop);
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("processors")
                .status(runners.stream().allMatch(ProcessorRunner::ready));
        runners.forEach(r -> builder.withData(r.name(), r.ready()));
        return builder.build();
    }
}
