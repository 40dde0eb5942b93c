package dev.weft.internal;

import dev.weft.failure.FailureInfo;

/** The end of one activity attempt. */
sealed interface AttemptOutcome {

    /** @param durable whether the result is already in the journal (an async completion wrote it) */
    record Succeeded(String resultJson, boolean durable) implements AttemptOutcome {
    }

    record Failed(FailureInfo failure) implements AttemptOutcome {
    }

    /** The attempt called {@code completeAsync()}: its outcome comes with the token. */
    record Pending() implements AttemptOutcome {
    }
}
