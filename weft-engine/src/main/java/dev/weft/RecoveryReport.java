package dev.weft;

import java.util.List;
import java.util.Map;

/**
 * What a {@link WeftEngine#recoverAll()} did.
 *
 * @param recovered the runs this engine took up and is now driving
 * @param unregisteredTypes running runs it could have taken but whose workflow type is not
 *     registered here, counted by type: left untouched for an engine that knows them
 */
public record RecoveryReport(List<String> recovered, Map<String, Long> unregisteredTypes) {

    public RecoveryReport {
        recovered = List.copyOf(recovered);
        unregisteredTypes = Map.copyOf(unregisteredTypes);
    }

    public long unregisteredCount() {
        return unregisteredTypes.values().stream().mapToLong(Long::longValue).sum();
    }
}
