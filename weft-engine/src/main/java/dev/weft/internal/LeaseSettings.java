package dev.weft.internal;

import java.time.Duration;

/**
 * How the lease keeper works for one engine.
 *
 * @param nodeId the owner name the leases are held under
 * @param lease how long a renewal extends a lease
 * @param renewInterval how often the leases are renewed (and cancellations and wake-ups polled)
 * @param adoptionInterval how often lapsed runs are adopted; {@link Duration#ZERO} never
 */
record LeaseSettings(String nodeId, Duration lease, Duration renewInterval, Duration adoptionInterval) {
}
