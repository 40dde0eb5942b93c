package dev.weft.spring.web;

import dev.weft.PendingAsyncActivity;
import dev.weft.WeftEngine;
import dev.weft.client.wire.Acknowledgement;
import dev.weft.client.wire.CompleteRequest;
import dev.weft.client.wire.FailRequest;
import dev.weft.client.wire.PendingActivityPage;
import dev.weft.client.wire.PendingActivityView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The API's async activities: list a run's pending ones, and complete or fail one by its token. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class AsyncActivityController {

    private static final int DEFAULT_PENDING_LIMIT = 50;
    private static final int MAX_PENDING_LIMIT = 200;

    private final WeftEngine engine;
    private final JsonBodyReader bodies;

    public AsyncActivityController(WeftEngine engine, JsonBodyReader bodies) {
        this.engine = engine;
        this.bodies = bodies;
    }

    @GetMapping("/workflows/{id}/pending-async-activities")
    public PendingActivityPage pending(@PathVariable("id") String id,
            @RequestParam(name = "limit", required = false) @Nullable String limit,
            @RequestParam(name = "cursor", required = false) @Nullable String cursor) {
        int max = QueryParams.integer("limit", limit, DEFAULT_PENDING_LIMIT, 1, MAX_PENDING_LIMIT);
        long after = QueryParams.pendingCursor(cursor);
        List<PendingAsyncActivity> pending = engine.pendingAsyncActivities(id).stream()
                .filter(each -> each.seq() > after)
                .sorted(Comparator.comparingLong(PendingAsyncActivity::seq))
                .toList();
        List<PendingActivityView> page = pending.stream().limit(max).map(PendingActivityView::of).toList();
        String next = pending.size() > max ? QueryParams.nextPendingCursor(pending.get(max - 1).seq()) : null;
        return new PendingActivityPage(page, next);
    }

    @PostMapping("/activities/complete")
    public Acknowledgement complete(HttpServletRequest request) {
        CompleteRequest body = bodies.read(request, CompleteRequest.class);
        engine.completeAsyncActivity(body.requiredToken(), body.result());
        return Acknowledgement.OK;
    }

    @PostMapping("/activities/fail")
    public Acknowledgement fail(HttpServletRequest request) {
        FailRequest body = bodies.read(request, FailRequest.class);
        engine.failAsyncActivity(body.requiredToken(), body.failure());
        return Acknowledgement.OK;
    }
}
