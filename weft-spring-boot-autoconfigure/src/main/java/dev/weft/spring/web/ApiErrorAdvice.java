package dev.weft.spring.web;

import dev.weft.client.wire.ApiError;
import dev.weft.client.wire.InvalidFieldException;
import dev.weft.failure.WeftException;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of the API's controllers as an {@link ApiError}: a refusal with its status and a
 * message that names what was wrong; any other failure as a 500 whose body tells nothing of
 * the server (it is logged instead). It applies to the API's controllers only, so an
 * application's own controllers keep their own error handling; and it comes first, so an
 * application's catch-all advice does not answer for the API.
 */
@RestControllerAdvice(assignableTypes = { WorkflowController.class, SignalController.class, AsyncActivityController.class,
        TaskQueueController.class, WorkerController.class, OpenApiController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiErrorAdvice {

    private static final Log LOG = LogFactory.getLog(ApiErrorAdvice.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiError> refused(ApiException e) {
        return answer(e);
    }

    @ExceptionHandler(InvalidFieldException.class)
    public ResponseEntity<ApiError> invalidField(InvalidFieldException e) {
        return answer(ApiException.invalid(e.field(), e.getMessage()));
    }

    @ExceptionHandler(WeftException.class)
    public ResponseEntity<ApiError> engineRefused(WeftException e) {
        ApiException refusal = EngineRefusals.answer(e);
        return refusal != null ? answer(refusal) : unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> unexpected(Exception e) {
        LOG.warn("Weft API request failed", e);
        return answer(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "EngineFailure", "Internal server error", Map.of()));
    }

    private static ResponseEntity<ApiError> answer(ApiException e) {
        String message = e.getMessage() == null ? e.fault() : e.getMessage();
        return ResponseEntity.status(e.status()).body(new ApiError(message, e.fault(), e.data()));
    }
}
