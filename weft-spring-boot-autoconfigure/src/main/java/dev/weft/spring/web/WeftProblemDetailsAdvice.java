package dev.weft.spring.web;

import dev.weft.failure.WeftException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Weft's refusals that an application's controller lets escape (unknown workflow type, run not
 * found, already exists, not terminal...) as an RFC 9457 problem detail with the status the
 * {@code /api/v1} API gives them ({@link EngineRefusals}), not a 500. The detail is the
 * exception's message; the engine's code is the {@code weftCode} property, with the API's other
 * details beside it.
 *
 * <p>It comes last ({@link Ordered#LOWEST_PRECEDENCE}, and registered after the application's
 * advice), so a controller's own handler or an application's advice answers first. A Weft
 * exception that is no refusal of the request (a store failure) is not answered here: it stays
 * the server error it is.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class WeftProblemDetailsAdvice {

    @ExceptionHandler(WeftException.class)
    public ResponseEntity<ProblemDetail> refused(WeftException e) throws WeftException {
        ApiException refusal = EngineRefusals.answer(e);
        if (refusal == null) {
            // rethrown as is, Spring MVC takes it as not handled and goes on as without this advice
            throw e;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(refusal.status(), e.getMessage());
        refusal.data().forEach(problem::setProperty);
        return ResponseEntity.status(refusal.status()).body(problem);
    }
}
