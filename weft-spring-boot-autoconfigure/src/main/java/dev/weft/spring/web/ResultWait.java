package dev.weft.spring.web;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * How long {@code GET /workflows/{id}/result} waits: the {@code timeout} parameter (a duration
 * such as {@code 30s}, {@code 500ms} or {@code PT1M}), or {@code defaultWait} without one; either
 * is cut to {@code maxWait}, so the configured maximum holds even when the default is larger.
 */
record ResultWait(Duration defaultWait, Duration maxWait) {

    Duration of(@Nullable String timeout) {
        if (timeout == null || timeout.isBlank()) {
            return atMostMax(defaultWait);
        }
        Duration wait;
        try {
            wait = DurationStyle.detectAndParse(timeout.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("timeout", "Field \"timeout\" must be a duration such as 30s, 500ms or PT1M");
        }
        if (wait.isNegative()) {
            throw ApiException.invalid("timeout", "Field \"timeout\" must not be negative");
        }
        return atMostMax(wait);
    }

    private Duration atMostMax(Duration wait) {
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }
}
