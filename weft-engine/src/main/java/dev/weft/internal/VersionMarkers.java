package dev.weft.internal;

import static dev.weft.workflow.WorkflowContext.DEFAULT_VERSION;

import dev.weft.failure.VersionMismatchException;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;

/**
 * The versions of code changes a run took ({@code getVersion}): a new run records the newest, a
 * replay reads what was recorded, and a run that passed the point before the change existed took
 * the default version without recording anything there.
 */
final class VersionMarkers {

    /**
     * The version a run takes at a change point.
     *
     * @param positionTaken whether the point takes the position it was offered
     */
    record Choice(int version, boolean positionTaken) {
    }

    private final RunExecution run;

    VersionMarkers(RunExecution run) {
        this.run = run;
    }

    /** @param seq the next position, which the point takes only if it records (or recorded) a version there */
    Choice choose(long seq, String changeId, int minSupported, int maxSupported) {
        if (minSupported > maxSupported || minSupported < DEFAULT_VERSION) {
            throw new IllegalArgumentException("getVersion needs " + DEFAULT_VERSION + " <= minSupported <= maxSupported, was "
                    + minSupported + " and " + maxSupported);
        }
        String name = "version:" + changeId;
        JournalEntry entry = run.recorded(seq);
        Choice choice;
        if (entry == null) {
            // A first execution of this point: it takes the newest path, and records so.
            choice = new Choice(maxSupported, true);
            run.commit(JournalEntry.completed(seq, EntryKind.VERSION, name, Integer.toString(maxSupported)));
        } else if (entry.kind() == EntryKind.VERSION && entry.name().equals(name)) {
            choice = new Choice(Integer.parseInt(entry.result()), true);
        } else {
            // The run passed this point before the change was made: it took the old path, and the
            // point takes no position of its own in its journal.
            choice = new Choice(DEFAULT_VERSION, false);
        }
        return choice;
    }

    /**
     * Returns {@code version}, or fails the run when this code no longer supports it. Checked after
     * the point took its position, so that workflow code catching the failure stays in step.
     */
    int supported(int version, String changeId, int minSupported, int maxSupported) {
        if (version < minSupported || version > maxSupported) {
            run.failFatally(new VersionMismatchException("Workflow '" + run.runId() + "' took version " + version
                    + " of change '" + changeId + "', which this code no longer supports (it supports " + minSupported + " to "
                    + maxSupported + ")"));
        }
        return version;
    }
}
