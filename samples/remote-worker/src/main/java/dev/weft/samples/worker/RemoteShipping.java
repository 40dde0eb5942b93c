package dev.weft.samples.worker;

import dev.weft.activity.ActivityContext;
import dev.weft.spring.Activity;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The order sample's {@code ship} activity, run here for the order application's workflows. It takes
 * a while ({@code worker.shipping.work-time}), long enough to kill this process mid-task and watch
 * the task run again on the next worker.
 */
@Service
public class RemoteShipping {

    private static final Logger log = LoggerFactory.getLogger(RemoteShipping.class);

    private final Duration workTime;

    public RemoteShipping(@Value("${worker.shipping.work-time:10s}") Duration workTime) {
        this.workTime = workTime;
    }

    /** Books the parcel; the order arrives as JSON, read here as a map (this process has no Order class). */
    @Activity(name = "ship", queue = "shipping")
    public String ship(Map<String, Object> order, ActivityContext context) throws InterruptedException {
        Object id = order.get("id");
        log.info("[{}] shipping on remote worker, attempt {} (takes {} s)", id, context.attempt(), workTime.toSeconds());
        long end = System.nanoTime() + workTime.toNanos();
        while (System.nanoTime() < end) {
            context.cancellation().throwIfCancelled();
            Thread.sleep(Duration.ofMillis(200));
        }
        String tracking = "TRK-" + id + "-REMOTE";
        log.info("[{}] shipped: {}", id, tracking);
        return tracking;
    }
}
