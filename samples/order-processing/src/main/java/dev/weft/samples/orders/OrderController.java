package dev.weft.samples.orders;

import dev.weft.StartOptions;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.WorkflowHandle;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.WorkflowStatus;
import dev.weft.spring.WeftClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places, shows and cancels orders. Placing an order starts its workflow through the
 * {@link WeftClient} and answers at once with the run id; the run goes on in the background and
 * survives restarts.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

    /**
     * How long reading the outcome of a run that the database shows as ended may wait: the node
     * that drove it may take a moment after the commit to settle its in-memory state.
     */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final WeftClient weft;

    public OrderController(WeftClient weft) {
        this.weft = weft;
    }

    /** What a client sends to place an order; {@code card} and {@code email} are optional. */
    public record NewOrder(@Nullable String sku, int quantity, long amountCents, @Nullable String card, @Nullable String email) {
    }

    /** An order's state: its run's status and, once it ended, its result or failure. */
    public record OrderView(String id, WorkflowStatus status, @Nullable OrderResult result, @Nullable String error) {
    }

    @PostMapping
    public ResponseEntity<OrderView> place(@RequestBody NewOrder request) {
        if (!StringUtils.hasText(request.sku())) {
            throw new InvalidOrderException("sku is required");
        }
        if (request.quantity() <= 0) {
            throw new InvalidOrderException("quantity must be positive, was " + request.quantity());
        }
        if (request.amountCents() <= 0) {
            throw new InvalidOrderException("amountCents must be positive, was " + request.amountCents());
        }
        String id = "order-" + UUID.randomUUID();
        Order order = new Order(id, request.sku(), request.quantity(), request.amountCents(),
                StringUtils.hasText(request.card()) ? request.card() : "tok_visa",
                StringUtils.hasText(request.email()) ? request.email() : "customer@example.com");
        // durable once start returns: the run survives a crash from here on
        WorkflowHandle<OrderResult> run = weft.start(OrderWorkflow::processOrder, order, StartOptions.withId(id));
        return ResponseEntity.accepted().location(URI.create("/orders/" + run.id()))
                .body(new OrderView(run.id(), WorkflowStatus.RUNNING, null, null));
    }

    @GetMapping("/{id}")
    public OrderView show(@PathVariable String id) {
        WorkflowHandle<OrderResult> run = weft.handle(id, OrderResult.class);
        WorkflowStatus status = run.status();
        return switch (status) {
            case COMPLETED -> new OrderView(id, status, run.result(SETTLE), null);
            case FAILED -> new OrderView(id, status, null, failureOf(run));
            case RUNNING, QUEUED, SUSPENDED, CANCELLED, TIMED_OUT -> new OrderView(id, status, null, null);
        };
    }

    @PostMapping("/{id}/cancel")
    public ResponseEntity<OrderView> cancel(@PathVariable String id) {
        WorkflowHandle<OrderResult> run = weft.handle(id, OrderResult.class);
        if (!run.cancel()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(show(id));
        }
        return ResponseEntity.accepted().body(new OrderView(id, run.status(), null, null));
    }

    @ExceptionHandler(InvalidOrderException.class)
    ResponseEntity<Map<String, String>> invalid(InvalidOrderException ex) {
        return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage(), "code", "INVALID_ORDER"));
    }

    @ExceptionHandler(WorkflowNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(WorkflowNotFoundException ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", ex.getMessage(), "code", ex.code()));
    }

    private static String failureOf(WorkflowHandle<OrderResult> run) {
        try {
            run.result(SETTLE);
            return "";
        } catch (WorkflowFailedException ex) {
            return ex.failure().simpleType() + ": " + ex.failure().message();
        }
    }

    /** A request to place an order that cannot be an order. */
    static class InvalidOrderException extends RuntimeException {

        InvalidOrderException(String message) {
            super(message);
        }
    }
}
