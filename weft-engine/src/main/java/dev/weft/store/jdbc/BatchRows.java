package dev.weft.store.jdbc;

import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.NewTask;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the accepted checkpoints of one batch write, table by table. Every writer of batches sorts a
 * batch into these rows, so that the rules of which checkpoint writes what live in one place.
 *
 * @param journal the journal rows, at most one per run, epoch and seq (a later checkpoint's row replaces an earlier one's)
 * @param endings the checkpoints that end their run
 * @param consuming the checkpoints that consume a signal (with their first entry)
 * @param parks the checkpoints that park their run
 * @param children the child runs the batch creates
 * @param parentsToWake the parents of the runs that end
 * @param recording the reconciliation records to write, at most one per run, epoch and record (the later one)
 * @param tasks the tasks the batch puts on queues
 */
record BatchRows(List<JournalRow> journal, List<Checkpoint> endings, List<Checkpoint> consuming, List<Checkpoint> parks,
        List<NewRun> children, List<String> parentsToWake, List<RecordRow> recording, List<NewTask> tasks) {

    /** One journal entry with the run and epoch of the checkpoint that writes it. */
    record JournalRow(String runId, long epoch, JournalEntry entry) {
    }

    /** One reconciliation record with the epoch of the checkpoint that writes it (the record names its run). */
    record RecordRow(long epoch, ActivityRecord record) {
    }

    /** The rows of the checkpoints of {@code batch} that are not in {@code refused}. */
    static BatchRows of(List<Checkpoint> batch, BitSet refused) {
        Map<JournalKey, JournalRow> journal = new LinkedHashMap<>();
        List<Checkpoint> endings = new ArrayList<>();
        List<Checkpoint> consuming = new ArrayList<>();
        List<Checkpoint> parks = new ArrayList<>();
        List<NewRun> children = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        Map<RecordKey, RecordRow> recording = new LinkedHashMap<>();
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (refused.get(i)) {
                continue;
            }
            Checkpoint checkpoint = batch.get(i);
            for (JournalEntry entry : checkpoint.entries()) {
                // One statement may not write a row twice (PostgreSQL refuses it); the later write is the one that counts.
                journal.put(new JournalKey(checkpoint.runId(), checkpoint.epoch(), entry.seq()),
                        new JournalRow(checkpoint.runId(), checkpoint.epoch(), entry));
            }
            if (checkpoint.outcome() != null) {
                endings.add(checkpoint);
                if (checkpoint.outcome().parentId() != null) {
                    parents.add(checkpoint.outcome().parentId());
                }
            }
            if (checkpoint.startsChild() != null) {
                children.add(checkpoint.startsChild());
            }
            if (checkpoint.consumedSignal() != null) {
                consuming.add(checkpoint);
            }
            if (checkpoint.parkUntil() != null) {
                parks.add(checkpoint);
            }
            for (ActivityRecord record : checkpoint.records()) {
                // as for journal rows: one statement may not write a record twice
                recording.put(new RecordKey(checkpoint.runId(), checkpoint.epoch(), record.activity(), record.keyDigest()),
                        new RecordRow(checkpoint.epoch(), record));
            }
            if (checkpoint.enqueues() != null) {
                tasks.add(checkpoint.enqueues());
            }
        }
        return new BatchRows(List.copyOf(journal.values()), endings, consuming, parks, children, parents,
                List.copyOf(recording.values()), tasks);
    }

    /**
     * The checkpoints that come after their run's end in the same batch, under the same epoch: the
     * run has no owner by then, so they are refused. Decided before the fence, which refuses the
     * same checkpoints again if the end itself is refused (same run, same epoch).
     */
    static BitSet afterTheirRunsEnd(List<Checkpoint> batch) {
        Set<String> ended = new HashSet<>();
        BitSet refused = new BitSet();
        for (int i = 0; i < batch.size(); i++) {
            Checkpoint checkpoint = batch.get(i);
            String key = checkpoint.epoch() + ":" + checkpoint.runId();
            if (ended.contains(key)) {
                refused.set(i);
            } else if (checkpoint.outcome() != null) {
                ended.add(key);
            }
        }
        return refused;
    }

    /**
     * The creations of an id that an earlier checkpoint of the batch creates already: refused
     * before any statement, since not every database sees its own uncommitted row in time.
     */
    static BitSet repeatedCreations(List<Checkpoint> batch) {
        Set<String> requested = new HashSet<>();
        BitSet repeated = new BitSet();
        for (int i = 0; i < batch.size(); i++) {
            NewRun run = batch.get(i).creates();
            if (run != null && !requested.add(run.id())) {
                repeated.set(i);
            }
        }
        return repeated;
    }

    /** The checkpoints whose run is not running under their epoch, given the epochs of the runs that are running. */
    static BitSet refusedByEpoch(List<Checkpoint> batch, Map<String, Long> runningEpochs) {
        BitSet refused = new BitSet();
        for (int i = 0; i < batch.size(); i++) {
            Long epoch = runningEpochs.get(batch.get(i).runId());
            if (epoch == null || epoch != batch.get(i).epoch()) {
                refused.set(i);
            }
        }
        return refused;
    }

    /** Whether the batch writes nothing but journal rows: no run created, ended or parked, no signal, child, record or task. */
    static boolean journalOnly(List<Checkpoint> batch) {
        return batch.stream().allMatch(c -> c.creates() == null && c.outcome() == null && c.parkUntil() == null
                && c.consumedSignal() == null && c.startsChild() == null && c.records().isEmpty() && c.enqueues() == null);
    }

    /** Whether {@code batch} is one checkpoint writing one journal entry and nothing else: a step alone. */
    static boolean loneStep(List<Checkpoint> batch) {
        return batch.size() == 1 && journalOnly(batch) && batch.getFirst().entries().size() == 1;
    }

    /** Whether {@code batch} is one checkpoint writing one reconciliation record and nothing else. */
    static boolean loneRecord(List<Checkpoint> batch) {
        if (batch.size() != 1) {
            return false;
        }
        Checkpoint only = batch.getFirst();
        return only.records().size() == 1 && only.entries().isEmpty() && only.writesRowsOnly();
    }

    /**
     * Whether {@code batch} is one checkpoint writing one journal entry and one reconciliation
     * record (a keyed step's end alone), or two records of different keys (with the next keyed
     * step's {@code started} record).
     */
    static boolean loneKeyedStep(List<Checkpoint> batch) {
        if (batch.size() != 1) {
            return false;
        }
        Checkpoint only = batch.getFirst();
        List<ActivityRecord> records = only.records();
        boolean distinct = records.size() == 1 || (records.size() == 2 && !sameKey(records.get(0), records.get(1)));
        return distinct && only.entries().size() == 1 && only.writesRowsOnly();
    }

    private static boolean sameKey(ActivityRecord one, ActivityRecord other) {
        return one.activity().equals(other.activity()) && one.keyDigest().equals(other.keyDigest());
    }

    /**
     * Whether {@code batch} is one run's end with its last step's entry, and the step's
     * reconciliation records if any (at most two, of different keys): a keyed step's completion
     * that waited for the run's next write, which was its end.
     */
    static boolean loneStepEnd(List<Checkpoint> batch) {
        if (batch.size() != 1) {
            return false;
        }
        Checkpoint only = batch.getFirst();
        List<ActivityRecord> records = only.records();
        boolean distinct = records.size() <= 1 || (records.size() == 2 && !sameKey(records.get(0), records.get(1)));
        return only.outcome() != null && only.entries().size() == 1 && distinct && only.creates() == null
                && only.consumedSignal() == null && only.startsChild() == null && only.parkUntil() == null && only.enqueues() == null;
    }

    /** Whether {@code batch} is one run's end and nothing else: no entry, creation, signal or child with it. */
    static boolean loneEnd(List<Checkpoint> batch) {
        if (batch.size() != 1) {
            return false;
        }
        Checkpoint only = batch.getFirst();
        return only.outcome() != null && only.entries().isEmpty() && only.creates() == null
                && only.consumedSignal() == null && only.startsChild() == null && only.records().isEmpty() && only.enqueues() == null;
    }

    private record JournalKey(String runId, long epoch, long seq) {
    }

    private record RecordKey(String runId, long epoch, String activity, String keyDigest) {
    }
}
