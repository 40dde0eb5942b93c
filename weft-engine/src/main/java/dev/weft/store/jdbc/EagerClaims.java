package dev.weft.store.jdbc;

import dev.weft.store.EagerClaim;
import dev.weft.store.NewTask;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Decides, inside an enqueuing transaction, which of its tasks are written already claimed under
 * the claim their node offered ({@link EagerClaim}): those of plain queues only. A queue is plain
 * when its row exists, could be locked at once, sets no pause, limit or fairness, and no task of
 * the queue waits unclaimed. The lock makes the decision strict: a pause or a limit committed
 * by any node before it is seen, and one being written meanwhile either waits for this transaction
 * (its claims then came before it) or holds the row, which is then skipped and takes no eager claim.
 */
final class EagerClaims {

    // Locked shared where the database has a shared row lock (concurrent enqueuing batches never
    // wait for each other here), and skipping a row another transaction is changing.
    private static final String LOCK_QUEUES = """
            select name, paused, max_in_flight, rate_limit, fair from %PREFIX%task_queue where name in (:queues)""";

    // A task waiting unclaimed is claimed first, by priority and age: an eager claim would jump it.
    // A task whose claim lapsed (its worker died) is not looked for: finding one means visiting
    // every task in flight, once per enqueue, and the next claim takes it all the same.
    private static final String ANY_WAITING = "select id from %PREFIX%task where queue = :queue and claim_token is null limit 1";

    // PostgreSQL: both in one round trip; FOR SHARE OF locks the queue rows only, never a task.
    private static final String LOCK_QUEUES_SEEING_WAITING = """
            select q.name, q.paused, q.max_in_flight, q.rate_limit, q.fair,
              exists (select 1 from %PREFIX%task t where t.queue = q.name and t.claim_token is null) as waiting
            from %PREFIX%task_queue q where q.name in (:queues) for share of q skip locked""";

    private final NamedParameterJdbcTemplate jdbc;
    private final String lockQueues;
    private final String anyWaiting;
    private final boolean waitingSeenWithLock;

    EagerClaims(NamedParameterJdbcTemplate jdbc, SqlTemplate sql) {
        this.jdbc = jdbc;
        this.waitingSeenWithLock = sql.dialect() == JdbcDialect.POSTGRESQL;
        this.lockQueues = sql.resolve(switch (sql.dialect()) {
            case POSTGRESQL -> LOCK_QUEUES_SEEING_WAITING;
            case MARIADB -> LOCK_QUEUES + " lock in share mode skip locked";
            // H2 has no shared row lock: enqueuing batches of one queue that overlap take turns in eager claims
            case H2 -> LOCK_QUEUES + "%SKIP_LOCKED%";
        });
        this.anyWaiting = sql.resolve(ANY_WAITING);
    }

    /**
     * Marks each offered claim of {@code tasks} taken or not (see {@link EagerClaim#markTaken}),
     * in the caller's transaction; returns the tasks to write as they are, those whose offer was
     * refused without it.
     */
    List<NewTask> settle(List<NewTask> tasks) {
        // a task of the batch written unclaimed waits as the others of its queue would: none of them jumps it
        Set<String> offering = new HashSet<>();
        Set<String> notOffering = new HashSet<>();
        tasks.forEach(task -> (task.eagerClaim() != null ? offering : notOffering).add(task.queue()));
        offering.removeAll(notOffering);
        Set<String> plain = offering.isEmpty() ? Set.of() : plain(offering);
        return tasks.stream().map(task -> {
            EagerClaim claim = task.eagerClaim();
            if (claim == null) {
                return task;
            }
            boolean taken = plain.contains(task.queue());
            claim.markTaken(taken);
            return taken ? task : withoutClaim(task);
        }).toList();
    }

    /** Which of {@code queues} are plain now, their rows locked till the commit. */
    private Set<String> plain(Set<String> queues) {
        Set<String> plain = new HashSet<>();
        jdbc.query(lockQueues, Map.of("queues", List.copyOf(queues)), rs -> {
            if (!rs.getBoolean("paused") && rs.getObject("max_in_flight") == null && rs.getObject("rate_limit") == null
                    && !rs.getBoolean("fair") && !(waitingSeenWithLock && rs.getBoolean("waiting"))) {
                plain.add(rs.getString("name"));
            }
        });
        if (!waitingSeenWithLock) {
            plain.removeIf(queue -> !jdbc.queryForList(anyWaiting, Map.of("queue", queue), Long.class).isEmpty());
        }
        return plain;
    }

    private static NewTask withoutClaim(NewTask task) {
        return new NewTask(task.runId(), task.seq(), task.attempt(), task.queue(), task.activity(), task.inputJson(), task.priority(),
                task.fairnessKey(), task.visibilityTimeout(), task.enqueuedAt());
    }
}
