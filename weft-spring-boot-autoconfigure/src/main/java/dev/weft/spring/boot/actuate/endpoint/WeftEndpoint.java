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
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code weft} actuator endpoint: lists runs (by status and type, newest first, a page at a
 * time), shows one run with its journal, and cancels a run.
 *
 * <p>Access is read-only unless {@code management.endpoint.weft.access=unrestricted}: cancelling a
 * run is an operation to allow on purpose. Run inputs and step results are shown as the JSON text
 * the journal holds, so the endpoint should be exposed only to those allowed to see them.
 */
@Endpoint(id = "weft", defaultAccess = Access.READ_ONLY)
public class WeftEndpoint {

    /** The page size when none is asked for. */
    public static final int DEFAULT_PAGE_SIZE = 20;

    /** The largest page size allowed. */
    public static final int MAX_PAGE_SIZE = 100;

    private final WeftEngine engine;

    private final WorkflowRuns runs;

    public WeftEndpoint(WeftEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runs = engine.runs();
    }

    /**
     * A page of runs, newest first.
     *
     * @param status a status or a comma-separated list of statuses ({@code running,failed}); all when absent
     * @param type a workflow type; all when absent
     * @param page the page, from 0
     * @param size the page size, 1 to {@value #MAX_PAGE_SIZE}, {@value #DEFAULT_PAGE_SIZE} when absent
     */
    @ReadOperation
    public RunPage runs(@Nullable String status, @Nullable String type, @Nullable Integer page, @Nullable Integer size) {
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? DEFAULT_PAGE_SIZE : size;
        if (pageNumber < 0) {
            throw invalid("page must not be negative, was " + pageNumber);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw invalid("size must be between 1 and " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        long offset = (long) pageNumber * pageSize;
        if (offset > Integer.MAX_VALUE) {
            throw invalid("page " + pageNumber + " is beyond the last page");
        }
        WorkflowFilter filter = new WorkflowFilter(statuses(status), type == null || type.isBlank() ? null : type);
        WorkflowRunPage found = runs.list(filter, new PageRequest((int) offset, pageSize));
        return new RunPage(found.items().stream().map(RunSummary::of).toList(), pageNumber, pageSize, found.total());
    }

    /** One run with its journal, or {@code null} (HTTP 404) when no run has that id. */
    @ReadOperation
    public @Nullable RunDetail run(@Selector String id) {
        return runs.find(id)
                .map(run -> RunDetail.of(run, runs.history(id).stream().map(Step::of).toList()))
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

    /** A page of runs and how many runs match in all. */
    public record RunPage(List<RunSummary> items, int page, int size, long total) {
    }

    /** A run in a list. */
    public record RunSummary(String id, String type, String status, @Nullable String owner, boolean cancelRequested,
            Instant createdAt, @Nullable Instant completedAt, @Nullable Failure error) {

        static RunSummary of(WorkflowRun run) {
            return new RunSummary(run.id(), run.type(), run.status().wireName(), run.owner(), run.cancelRequested(),
                    run.createdAt(), run.completedAt(), Failure.of(run.failure()));
        }
    }

    /**
     * A run with its journal.
     *
     * @param input the run's input as JSON text
     * @param result the run's result as JSON text, once it completed
     */
    public record RunDetail(String id, String type, String status, @Nullable String owner, long epoch,
            @Nullable Instant leaseExpiresAt, boolean cancelRequested, Instant createdAt, @Nullable Instant completedAt,
            String input, @Nullable String result, @Nullable Failure error, List<Step> steps) {

        static RunDetail of(WorkflowRun run, List<Step> steps) {
            return new RunDetail(run.id(), run.type(), run.status().wireName(), run.owner(), run.epoch(), run.leaseExpiresAt(),
                    run.cancelRequested(), run.createdAt(), run.completedAt(), run.input(), run.result(), Failure.of(run.failure()),
                    steps);
        }
    }

    /**
     * One durable operation of a run.
     *
     * @param attempt for an activity, the attempt that finished, or the next one due while waiting
     * @param dueAt when a waiting step (a sleep, or an activity in backoff) is due
     * @param result the step's result as JSON text, once completed
     * @param error the failure, or the last attempt's failure while waiting to retry
     */
    public record Step(long seq, String kind, String name, String state, int attempt, @Nullable Instant scheduledAt,
            @Nullable Instant dueAt, @Nullable String result, @Nullable Failure error) {

        static Step of(WorkflowStep entry) {
            return new Step(entry.seq(), entry.kind().wireName(), entry.name(), entry.state().wireName(), entry.attempt(),
                    entry.scheduledAt(), entry.dueAt(), entry.result(), Failure.of(entry.failure()));
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
}
