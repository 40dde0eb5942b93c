package dev.weft.spring.boot.actuate.endpoint;

import dev.weft.failure.FailureInfo;
import dev.weft.WeftEngine;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.WorkflowStatus;
import dev.weft.client.PageRequest;
import dev.weft.client.WorkflowFilter;
import dev.weft.visibility.WorkflowRun;
import dev.weft.visibility.WorkflowRunPage;
import dev.weft.visibility.WorkflowRuns;
import dev.weft.visibility.WorkflowStep;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code weft} actuator endpoint: lists runs (by status and type, newest first, a page at a
 * time), shows one run with its journal, and cancels a run.
 *
 * <p>Access is read-only unless {@code management.endpoint.weft.access=unrestricted}: cancelling a
 * run is an operation to allow on purpose. Payloads (a run's input and result, its steps' results)
 * are shown as the JSON text the journal holds only as {@code management.endpoint.weft.show-values}
 * says, as Spring Boot does for the values of its {@code env} and {@code configprops} endpoints;
 * otherwise they read {@value #MASK}. Over the web, {@link WeftEndpointWebExtension} decides per
 * request; through this class (JMX, or a direct call) {@code when-authorized} counts as authorized.
 *
 * <p>A page has the shape of the REST API's run list, {@code {items, total, offset, limit}}, and is
 * asked for the same way: {@code offset} and {@code limit}, or {@code page} and {@code size}.
 */
@Endpoint(id = "weft", defaultAccess = Access.READ_ONLY)
public class WeftEndpoint {

    /** What a payload that is not shown reads, as in Spring Boot's sanitized values. */
    public static final String MASK = "******";

    private final WeftEngine engine;

    private final WorkflowRuns runs;

    private final Show showValues;

    /** An endpoint that shows payloads as {@code showValues} says. */
    public WeftEndpoint(WeftEngine engine, Show showValues) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runs = engine.runs();
        this.showValues = Objects.requireNonNull(showValues, "showValues");
    }

    /**
     * A page of runs, newest first, with the REST API's paging: {@code offset} and {@code limit},
     * or {@code page} and {@code size}, never both.
     *
     * @param status a status or a comma-separated list of statuses ({@code running,failed}); all when absent
     * @param type a workflow type; all when absent
     * @param offset how many matching runs to skip, 0 when absent
     * @param limit the page size, 1 to {@value PageRequest#MAX_LIMIT}, {@value PageRequest#DEFAULT_LIMIT} when absent
     * @param page the page, from 0, of {@code size} runs
     * @param size the page size when paging by {@code page}
     */
    @ReadOperation
    public RunPage runs(@Nullable String status, @Nullable String type, @Nullable Integer offset, @Nullable Integer limit,
            @Nullable Integer page, @Nullable Integer size) {
        PageRequest request = pageRequest(offset, limit, page, size);
        WorkflowFilter filter = new WorkflowFilter(statuses(status), type == null || type.isBlank() ? null : type);
        WorkflowRunPage found = runs.list(filter, request);
        return new RunPage(found.items().stream().map(RunSummary::of).toList(), found.total(), request.offset(), request.limit());
    }

    /**
     * One run with its journal, or {@code null} (HTTP 404) when no run has that id; its payloads
     * are shown unless {@code show-values} is {@code never}.
     */
    @ReadOperation
    public @Nullable RunDetail run(@Selector String id) {
        return run(id, showValues.isShown(true));
    }

    /** One run with its journal, its payloads shown or masked as {@code showPayloads} says. */
    @Nullable RunDetail run(String id, boolean showPayloads) {
        Payloads payloads = new Payloads(showPayloads);
        return runs.find(id)
                .map(run -> RunDetail.of(run, runs.history(id).stream().map(step -> Step.of(step, payloads)).toList(), payloads))
                .orElse(null);
    }

    /** Requests the cancellation of a run, wherever it is driven; a run that already ended is left as it is. */
    @DeleteOperation
    public CancelResult cancel(@Selector String id) {
        try {
            boolean requested = engine.cancel(id);
            return new CancelResult(id, requested ? "cancel-requested" : "already-ended");
        } catch (WorkflowNotFoundException e) {
            throw invalid("No workflow run has the id '" + id + "'");
        }
    }

    private static PageRequest pageRequest(@Nullable Integer offset, @Nullable Integer limit, @Nullable Integer page,
            @Nullable Integer size) {
        if (page != null || size != null) {
            if (offset != null || limit != null) {
                throw invalid("Use either page and size or offset and limit, not both");
            }
            int pageSize = within("size", size, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT);
            int pageNumber = within("page", page, 0, 0, Integer.MAX_VALUE / pageSize);
            return new PageRequest(pageNumber * pageSize, pageSize);
        }
        return new PageRequest(within("offset", offset, 0, 0, Integer.MAX_VALUE),
                within("limit", limit, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT));
    }

    private static int within(String name, @Nullable Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw invalid(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static Set<WorkflowStatus> statuses(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return Set.of();
        }
        Set<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);
        for (String name : status.split(",")) {
            statuses.add(parseStatus(name.trim()));
        }
        return statuses;
    }

    private static WorkflowStatus parseStatus(String name) {
        for (WorkflowStatus candidate : WorkflowStatus.values()) {
            if (candidate.wireName().equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        throw invalid("Unknown status '" + name + "': expected one of "
                + Arrays.stream(WorkflowStatus.values()).map(WorkflowStatus::wireName).collect(Collectors.joining(", ")));
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }

    /**
     * A page of runs and how many runs match in all: the shape of the REST API's run list.
     *
     * @param offset how many matching runs come before this page
     * @param limit the page size asked for
     */
    public record RunPage(List<RunSummary> items, long total, int offset, int limit) {
    }

    /** A run in a list. */
    public record RunSummary(String id, String type, String status, @Nullable String owner, boolean cancelRequested,
            Instant createdAt, @Nullable Instant completedAt, @Nullable Failure failure) {

        static RunSummary of(WorkflowRun run) {
            return new RunSummary(run.id(), run.type(), run.status().wireName(), run.owner(), run.cancelRequested(),
                    run.createdAt(), run.completedAt(), Failure.of(run.failure()));
        }
    }

    /**
     * A run with its journal.
     *
     * @param input the run's input as JSON text, or {@value WeftEndpoint#MASK} when payloads are not shown
     * @param result the run's result as JSON text once it completed, or {@value WeftEndpoint#MASK} when payloads are not shown
     */
    public record RunDetail(String id, String type, String status, @Nullable String owner, long epoch,
            @Nullable Instant leaseExpiresAt, boolean cancelRequested, Instant createdAt, @Nullable Instant completedAt,
            @Nullable String input, @Nullable String result, @Nullable Failure failure, List<Step> steps) {

        static RunDetail of(WorkflowRun run, List<Step> steps, Payloads payloads) {
            return new RunDetail(run.id(), run.type(), run.status().wireName(), run.owner(), run.epoch(), run.leaseExpiresAt(),
                    run.cancelRequested(), run.createdAt(), run.completedAt(), payloads.of(run.input()), payloads.of(run.result()),
                    Failure.of(run.failure()), steps);
        }
    }

    /**
     * One durable operation of a run.
     *
     * @param attempt for an activity, the attempt that finished, or the next one due while waiting
     * @param dueAt when a waiting step (a sleep, or an activity in backoff) is due
     * @param result the step's result as JSON text once completed, or {@value WeftEndpoint#MASK} when payloads are not shown
     * @param failure the failure, or the last attempt's failure while waiting to retry
     */
    public record Step(long seq, String kind, String name, String state, int attempt, @Nullable Instant scheduledAt,
            @Nullable Instant dueAt, @Nullable String result, @Nullable Failure failure) {

        static Step of(WorkflowStep entry, Payloads payloads) {
            return new Step(entry.seq(), entry.kind().wireName(), entry.name(), entry.state().wireName(), entry.attempt(),
                    entry.scheduledAt(), entry.dueAt(), payloads.of(entry.result()), Failure.of(entry.failure()));
        }
    }

    /** A recorded failure, without its stack trace. */
    public record Failure(String type, String message, String category, @Nullable String code) {

        static @Nullable Failure of(@Nullable FailureInfo failure) {
            return failure == null ? null
                    : new Failure(failure.type(), failure.message(), failure.category().wireName(), failure.code());
        }
    }

    /**
     * What a cancel request did.
     *
     * @param outcome {@code cancel-requested}, or {@code already-ended} when the run had finished (nothing changed)
     */
    public record CancelResult(String id, String outcome) {
    }

    /** Shows payloads, or masks them; an absent payload (no result yet) stays absent either way. */
    record Payloads(boolean shown) {

        @Nullable String of(@Nullable String json) {
            return json == null || shown ? json : MASK;
        }
    }
}
