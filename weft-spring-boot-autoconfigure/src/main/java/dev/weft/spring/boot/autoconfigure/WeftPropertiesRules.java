package dev.weft.spring.boot.autoconfigure;

import dev.weft.activity.QueueName;
import dev.weft.failure.InvalidDefinitionException;
import java.time.Duration;
import org.springframework.validation.Errors;

/**
 * The rules {@code weft.*} settings follow, checked when they are bound so that a mistake stops the
 * start with Spring Boot's failure analysis (the property, its value and the reason) before the
 * engine or any SQL runs. They are the engine builder's own rules, stated in the properties' terms.
 */
final class WeftPropertiesRules {

    private static final Duration SHORTEST_LEASE = Duration.ofSeconds(1);
    private static final int LONGEST_NODE_ID = 200;

    private WeftPropertiesRules() {
    }

    static void check(WeftProperties properties, Errors errors) {
        String nodeId = properties.getNodeId();
        if (nodeId != null && (nodeId.isBlank() || nodeId.length() > LONGEST_NODE_ID)) {
            errors.rejectValue("nodeId", "weft.node-id.invalid", "must be 1 to " + LONGEST_NODE_ID + " characters, not blank");
        }
        Duration lease = properties.getLease();
        if (lease.compareTo(SHORTEST_LEASE) < 0) {
            errors.rejectValue("lease", "weft.lease.too-short", "must be at least 1s");
        }
        Duration renewal = properties.getLeaseRenewInterval();
        if (renewal != null && (renewal.isNegative() || renewal.isZero())) {
            errors.rejectValue("leaseRenewInterval", "weft.lease-renew-interval.not-positive", "must be positive");
        } else if (renewal != null && renewal.compareTo(lease) >= 0) {
            errors.rejectValue("leaseRenewInterval", "weft.lease-renew-interval.too-long",
                    "must be shorter than weft.lease (" + lease + "), or leases lapse before they are renewed");
        }
        notNegative(properties.getAdoptionInterval(), "adoptionInterval", errors);
        notNegative(properties.getParkAfter(), "parkAfter", errors);
        notNegative(properties.getShutdownTimeout(), "shutdownTimeout", errors);
        if (properties.getMaxPayloadBytes() <= 0) {
            errors.rejectValue("maxPayloadBytes", "weft.max-payload-bytes.not-positive", "must be positive");
        }
        checkRetry(properties.getRetry(), errors);
        checkQueues(properties, errors);
    }

    private static void checkQueues(WeftProperties properties, Errors errors) {
        properties.getQueues().forEach((name, queue) -> {
            if (!QueueName.isValid(name)) {
                errors.rejectValue("queues", "weft.queues.name.invalid", "queue name '" + name
                        + "' must be 1 to 100 letters, digits, '_' or '-'");
            }
            try {
                queue.toOptions();
            } catch (InvalidDefinitionException e) {
                errors.rejectValue("queues", "weft.queues.invalid", "weft.queues." + name + ": " + e.getMessage());
            }
        });
        for (String name : properties.getWorker().getQueues()) {
            if (!QueueName.isValid(name)) {
                errors.rejectValue("worker.queues", "weft.worker.queues.invalid", "queue name '" + name
                        + "' must be 1 to 100 letters, digits, '_' or '-'");
            }
        }
    }

    private static void checkRetry(WeftProperties.Retry retry, Errors errors) {
        if (retry.getMaxAttempts() < 1) {
            errors.rejectValue("retry.maxAttempts", "weft.retry.max-attempts.too-small", "must be at least 1 (the first attempt counts)");
        }
        notNegative(retry.getInitialBackoff(), "retry.initialBackoff", errors);
        notNegative(retry.getMaxBackoff(), "retry.maxBackoff", errors);
        double multiplier = retry.getBackoffMultiplier();
        if (!Double.isFinite(multiplier) || multiplier < 1) {
            errors.rejectValue("retry.backoffMultiplier", "weft.retry.backoff-multiplier.too-small", "must be a finite number of at least 1");
        }
    }

    private static void notNegative(Duration value, String field, Errors errors) {
        if (value.isNegative()) {
            errors.rejectValue(field, "weft.duration.negative", "must not be negative");
        }
    }
}
