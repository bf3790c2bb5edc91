package io.gpumarket.kit.api;

import io.gpumarket.events.account.Role;
import io.gpumarket.kit.kafka.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Guards {@code /api/v1/ops/{service}/…}: the caller must be an operator (else 403) and
 * {@code {service}} must name this service (else 404), so the gateway's path says where a call goes.
 */
@ApplicationScoped
public class OperatorGuard {
    private final Callers callers;
    private final KafkaSettings settings;

    public OperatorGuard(Callers callers, KafkaSettings settings) {
        this.callers = callers;
        this.settings = settings;
    }

    public void check(String service) {
        callers.require(Role.OPERATOR);
        if (!settings.service().artifact().equals(service)) {
            throw Problem.notFound("service " + service);
        }
    }
}
