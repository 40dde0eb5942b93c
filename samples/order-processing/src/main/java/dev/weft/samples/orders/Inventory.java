package dev.weft.samples.orders;

import dev.weft.spring.Activity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** A stand-in for a warehouse system: reserves and releases stock. */
@Service
public class Inventory {

    private static final Logger log = LoggerFactory.getLogger(Inventory.class);

    private final Map<String, Order> reservations = new ConcurrentHashMap<>();
    private final Tally reserved = new Tally();
    private final Tally released = new Tally();

    /** Reserves the order's stock; the reservation id is derived from the order, so a repeated call takes the same one. */
    @Activity(maxAttempts = "3", initialBackoff = "200ms")
    public String reserve(Order order) {
        String reservation = "RSV-" + order.id();
        reservations.put(reservation, order);
        reserved.increment(order.id());
        log.info("[{}] reserved {} x {} as {}", order.id(), order.quantity(), order.sku(), reservation);
        return reservation;
    }

    /** Gives a reservation's stock back. */
    @Activity(maxAttempts = "5", initialBackoff = "200ms")
    public void release(String reservation) {
        Order order = reservations.remove(reservation);
        released.increment(reservation);
        log.info("[{}] released reservation {}", order == null ? "?" : order.id(), reservation);
    }

    /** Whether the reservation is held. */
    public boolean isReserved(String reservation) {
        return reservations.containsKey(reservation);
    }

    /** How often {@link #reserve} ran for the order. */
    public int reservations(String orderId) {
        return reserved.get(orderId);
    }

    /** How often {@link #release} ran for the reservation. */
    public int releases(String reservation) {
        return released.get(reservation);
    }
}
