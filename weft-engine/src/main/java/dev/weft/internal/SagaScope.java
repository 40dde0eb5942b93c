package dev.weft.internal;

import dev.weft.workflow.Saga;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One saga in progress: the compensations recorded so far, each with the journal position it was
 * recorded at. Parallel branches record from their own threads, so the list is guarded; the order
 * of compensation is by position (newest first), which a replay reproduces whatever the threads did.
 */
final class SagaScope implements Saga {

    /** One undo step; {@code order} keeps steps recorded at one position in the order they came. */
    record Compensation(long position, long order, Runnable action) {
    }

    private static final Comparator<Compensation> NEWEST_FIRST =
            Comparator.comparingLong(Compensation::position).thenComparingLong(Compensation::order).reversed();

    private final LongSupplier currentPosition;
    private final Consumer<Runnable> runner;
    private final List<Compensation> recorded = new ArrayList<>();
    private long added;

    /**
     * @param currentPosition the last journal position the workflow took, for undo steps added by hand
     * @param runner runs one compensation so that the steps it performs are not recorded as the saga's
     */
    SagaScope(LongSupplier currentPosition, Consumer<Runnable> runner) {
        this.currentPosition = currentPosition;
        this.runner = runner;
    }

    /** Records the compensation of the activity step completed at {@code position}. */
    synchronized void record(long position, Runnable action) {
        recorded.add(new Compensation(position, added++, action));
    }

    @Override
    public void addCompensation(Runnable compensation) {
        Objects.requireNonNull(compensation, "compensation");
        record(currentPosition.getAsLong(), compensation);
    }

    @Override
    public void compensate() {
        List<RuntimeException> failures = compensateAll();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Runs every recorded compensation, newest first, each even when others fail; returns the failures. */
    List<RuntimeException> compensateAll() {
        List<Compensation> due = takeAll();
        List<RuntimeException> failures = new ArrayList<>();
        for (Compensation compensation : due) {
            try {
                runner.accept(compensation.action());
            } catch (RuntimeException failure) {
                failures.add(failure);
            }
        }
        return failures;
    }

    /** Moves the recorded compensations into {@code outer}, for a saga that completed inside another. */
    void handOverTo(SagaScope outer) {
        takeAll().reversed().forEach(compensation -> outer.record(compensation.position(), compensation.action()));
    }

    private synchronized List<Compensation> takeAll() {
        List<Compensation> due = recorded.stream().sorted(NEWEST_FIRST).toList();
        recorded.clear();
        return due;
    }
}
