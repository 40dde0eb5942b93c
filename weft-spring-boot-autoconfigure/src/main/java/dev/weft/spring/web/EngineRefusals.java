package dev.weft.spring.web;

import dev.weft.WorkflowStatus;
import dev.weft.client.wire.FailureView;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.ConcurrencyLimitReachedException;
import dev.weft.failure.InvalidInputException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.failure.QueryNotFoundException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.failure.WeftException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.failure.WorkflowNotTerminalException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The engine's refusals as the API answers them: each exception that stands for a refusal of the
 * caller's request gets its status, upstream Weft's fault name and details, with the engine's
 * code as {@code data.weftCode} so a client can raise the same exception again.
 */
final class EngineRefusals {

    private EngineRefusals() {
    }

    /** The answer to {@code e}, or {@code null} when it is no refusal but a failure of the server. */
    static @Nullable ApiException answer(WeftException e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("weftCode", e.code());
        return switch (e) {
            case WorkflowNotFoundException notFound -> notFound(notFound, "workflow", data);
            case QueryNotFoundException notFound -> notFound(notFound, "query", data);
            case AsyncActivityTokenNotFoundException notFound -> notFound(notFound, "asyncActivity", data);
            case WorkflowAlreadyExistsException exists -> conflict(exists, data);
            case ConcurrencyLimitReachedException full -> {
                data.put("workflowType", full.workflowType());
                data.put("concurrencyKey", full.concurrencyKey());
                data.put("limit", full.limit());
                yield new ApiException(HttpStatus.TOO_MANY_REQUESTS, "ConcurrencyLimitReached", full.getMessage(), data);
            }
            case WorkflowFinishedException finished -> {
                data.put("identifier", finished.workflowId());
                data.put("reason", "finished");
                yield conflict(finished, data);
            }
            case RunOwnedElsewhereException elsewhere -> {
                data.put("reason", "owned-elsewhere");
                yield conflict(elsewhere, data);
            }
            case WorkflowNotTerminalException live -> {
                data.put("identifier", live.workflowId());
                yield conflict(live, data);
            }
            case WorkflowNotRegisteredException unknown -> {
                data.put("field", "type");
                yield new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", unknown.getMessage(), data);
            }
            case InvalidInputException invalid -> {
                data.put("field", invalid.field());
                yield new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", invalid.getMessage(), data);
            }
            case PayloadSizeExceededException large -> {
                data.put("maxBytes", large.maxBytes());
                yield new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", large.getMessage(), data);
            }
            case ResultTimeoutException late -> new ApiException(HttpStatus.REQUEST_TIMEOUT, "Timeout", late.getMessage(), data);
            case WorkflowFailedException failed -> {
                data.put("identifier", failed.workflowId());
                data.put("status", WorkflowStatus.FAILED.wireName());
                data.put("failure", FailureView.of(failed.failure()));
                yield unprocessable(failed, data);
            }
            case WorkflowCancelledException cancelled -> {
                data.put("identifier", cancelled.workflowId());
                data.put("status", WorkflowStatus.CANCELLED.wireName());
                yield unprocessable(cancelled, data);
            }
            default -> null;
        };
    }

    private static ApiException notFound(WeftException e, String resource, Map<String, Object> data) {
        data.put("resource", resource);
        return new ApiException(HttpStatus.NOT_FOUND, "NotFound", e.getMessage(), data);
    }

    private static ApiException conflict(WeftException e, Map<String, Object> data) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", e.getMessage(), data);
    }

    private static ApiException unprocessable(WeftException e, Map<String, Object> data) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable", e.getMessage(), data);
    }
}
