package dev.weft.samples.orders;

import dev.weft.failure.ActivityFailedException;
import dev.weft.spring.Workflow;
import dev.weft.workflow.WorkflowContext;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The order workflow. Each call of an activity bean's method below is a durable step: after a
 * crash the method runs again from the top, completed steps return their recorded results without
 * running again, and the run carries on where it stopped. The method must therefore make its
 * calls in the same order every time; side effects belong in the activities.
 */
@Component
public class OrderWorkflow {

    private final Inventory inventory;
    private final Payments payments;
    private final Shipping shipping;
    private final Notifications notifications;
    private final Duration fulfilmentDelay;

    public OrderWorkflow(Inventory inventory, Payments payments, Shipping shipping, Notifications notifications,
            @Value("${orders.fulfilment-delay:5s}") Duration fulfilmentDelay) {
        this.inventory = inventory;
        this.payments = payments;
        this.shipping = shipping;
        this.notifications = notifications;
        this.fulfilmentDelay = fulfilmentDelay;
    }

    /** Reserve, charge, wait for fulfilment, ship, confirm; a declined card releases the stock instead. */
    @Workflow
    public OrderResult processOrder(Order order) {
        String reservation = inventory.reserve(order);
        String payment;
        try {
            payment = payments.charge(order, null); // the engine injects the ActivityContext
        } catch (ActivityFailedException ex) {
            // the recorded failure, rebuilt the same way on every replay
            inventory.release(reservation);
            if (ex.failure().type().equals(PaymentDeclinedException.class.getName())) {
                return OrderResult.declined(order, reservation, ex.failure().message());
            }
            throw ex;
        }
        WorkflowContext context = WorkflowContext.current();
        // this logger stays quiet while a replay passes here again, so the line is written once per order
        context.logger(OrderWorkflow.class).info("Order {} is paid; shipping in {}", order.id(), fulfilmentDelay);
        // a durable timer: a restart neither restarts nor skips it; a cancellation ends the run here
        context.sleep(fulfilmentDelay);
        String tracking = shipping.ship(order, null);
        notifications.sendConfirmation(new Notifications.Confirmation(order.id(), order.email(), tracking));
        return OrderResult.shipped(order, reservation, payment, tracking);
    }
}
