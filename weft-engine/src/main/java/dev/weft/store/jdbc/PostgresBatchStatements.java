package dev.weft.store.jdbc;

import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of {@link PostgresCheckpointWriter}, resolved for one table prefix.
 *
 * <p>How these statements find rows of the run table: one row per array element, through a
 * LATERAL subquery, which the planner cannot turn into a join. Its only sensible plan is an index
 * lookup per element, so the plan PostgreSQL caches for the prepared statement stays right whatever
 * the table's statistics: a plain join with {@code unnest}, cached while the table was small or
 * never analyzed (autovacuum off), scans the whole table and keeps doing so as it grows. Rows are
 * locked in the array's order, run-id order, as lease renewal locks them.
 *
 * <p>A row a statement updates through a LATERAL lookup ({@code where r.ctid = found.row_id}) must
 * be locked by an earlier statement of the same transaction. Otherwise a concurrent update that
 * commits after the statement's snapshot was taken moves the row to a version the snapshot cannot
 * see, and the update silently skips it. So the lock statement also locks the children an end may
 * cancel and the parents it may wake.
 *
 * <p>Every statement is planned once per connection, not once per execution: written plainly,
 * {@code unnest(?)} lets the planner see each execution's array length, so PostgreSQL finds a plan
 * for those very values cheaper than the cached generic one and plans again on every execution
 * (0.2 to 0.3 ms of a batch's server time, measured). The arrays therefore reach {@code unnest}
 * through a subquery with {@code offset 0}, which the planner does not look into: every execution
 * costs the same to it, and after five it keeps the generic plan (see {@link #fenced}).
 */
final class PostgresBatchStatements {

    // The upsert of journal rows by key, shared by the statements that write them.
    private static final String ON_CONFLICT = """
            on conflict (run_id, seq) do update set kind = excluded.kind, name = excluded.name, state = excluded.state,
              result = excluded.result, error_type = excluded.error_type, error_message = excluded.error_message,
              error_category = excluded.error_category, error_code = excluded.error_code,
              error_stack = excluded.error_stack, attempt = excluded.attempt, due_at = excluded.due_at,
              scheduled_at = excluded.scheduled_at, updated_at = excluded.updated_at""";

    // The upsert of reconciliation records by key, shared by the statements that write them.
    private static final String RECORD_ON_CONFLICT = """
            on conflict (run_id, activity, key_digest) do update set seq = excluded.seq, state = excluded.state,
              attempt = excluded.attempt, result = excluded.result, updated_at = excluded.updated_at""";

    // Inserts the batch's new runs; one with an id already there inserts nothing (only the ids returned were created).
    private static final String CREATE_RUNS = """
            insert into %PREFIX%run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth)
            select n.id, n.type, 'running', n.input, n.owner, 1, %NEW_LEASE%, now(), false, n.created_at, now(),
              n.deadline_at, n.version, n.parent_id, n.parent_seq, n.parent_close_policy, n.depth
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[]::timestamptz[],
              ?::text[]::timestamptz[], ?::int4[], ?::text[], ?::int8[], ?::text[], ?::int4[])
              as n(id, type, input, owner, lease_micros, created_at, deadline_at, version, parent_id, parent_seq,
                parent_close_policy, depth)
            on conflict (id) do nothing
            returning id""";

    // One new run (every start at concurrency 1) with plain parameters: encoding twelve one-element
    // arrays, timestamps as text, cost more of the engine's CPU than the statement itself.
    private static final String CREATE_ONE = """
            insert into %PREFIX%run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth)
            values (?, ?, 'running', ?, ?, 1, %NEW_LEASE%, now(), false, ?::timestamptz, now(), ?::timestamptz, ?, ?, ?, ?, ?)
            on conflict (id) do nothing
            returning id""";

    private static final String LOCK_MANY = """
            select r.id, r.epoch, r.status from unnest(?::text[]) as ids(id)
              cross join lateral (select id, epoch, status from %PREFIX%run t where t.id = ids.id for update) r""";

    // A batch of one run (every batch at concurrency 1) locks it by primary key: the cheapest
    // statement, and a point lookup's cached plan is the index whatever the statistics.
    private static final String LOCK_ONE = "select id, epoch, status from %PREFIX%run where id = ? for update";

    // The journal rows of the checkpoints whose run is locked and running under their epoch.
    private static final String WRITE_JOURNAL = """
            insert into %PREFIX%journal (run_id, seq, kind, name, state, result, error_type, error_message,
              error_category, error_code, error_stack, attempt, due_at, scheduled_at, updated_at)
            select e.run_id, e.seq, e.kind, e.name, e.state, e.result, e.error_type, e.error_message, e.error_category,
              e.error_code, e.error_stack, e.attempt, e.due_at, e.scheduled_at, now()
            from unnest(?::text[], ?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[]::timestamptz[], ?::text[]::timestamptz[])
              as e(run_id, epoch, seq, kind, name, state, result, error_type, error_message, error_category,
                error_code, error_stack, attempt, due_at, scheduled_at)
            join locked on locked.id = e.run_id and locked.epoch = e.epoch and locked.status = 'running'
            """ + ON_CONFLICT;

    // The reconciliation records of the checkpoints whose run is locked and running under their epoch.
    private static final String WRITE_RECORDS = """
            insert into %PREFIX%activity_record (run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at)
            select a.run_id, a.activity, a.key_digest, a.seq, a.state, a.attempt, a.result, now(), now()
            from unnest(?::text[], ?::int8[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::int4[], ?::text[])
              as a(run_id, epoch, activity, key_digest, seq, state, attempt, result)
            join locked on locked.id = a.run_id and locked.epoch = a.epoch and locked.status = 'running'
            """ + RECORD_ON_CONFLICT;

    // The running children that the ends of the batch would cancel (by their close policy).
    private static final String LOCK_CHILDREN = """
            select c.id, c.parent_id from unnest(?::text[]) as e(id)
              cross join lateral (select id, parent_id from %PREFIX%run t
                where t.parent_id = e.id and t.status = 'running' and t.parent_close_policy = 'request_cancel' for update) c""";

    // The running parents that the ends of the batch would wake.
    private static final String LOCK_PARENTS = """
            select p.id from unnest(?::text[]) as q(id)
              cross join lateral (select id from %PREFIX%run t where t.id = q.id and t.status = 'running' for update) p""";

    // Ends the runs (locked by the lock statement and found running under the epoch). A cancellation
    // request stays recorded: readers see that a cancelled run was asked to cancel.
    private static final String END_RUNS = """
            update %PREFIX%run r set status = e.status, result = e.result, error_type = e.error_type,
              error_message = e.error_message, error_category = e.error_category, error_code = e.error_code,
              error_stack = e.error_stack, completed_at = e.completed_at, owner = null, lease_expires_at = null,
              updated_at = now()
            from unnest(?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[]::timestamptz[])
              as e(id, epoch, status, result, error_type, error_message, error_category, error_code, error_stack, completed_at)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = e.id and t.epoch = e.epoch for update) found
            where r.ctid = found.row_id""";

    // Cancels the given runs (locked children of ended runs).
    private static final String CANCEL_RUNS = """
            update %PREFIX%run r set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = now()
            from unnest(?::text[]) as k(id)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = k.id and t.status = 'running' for update) found
            where r.ctid = found.row_id""";

    // Wakes the given runs (locked parents of ended runs), which may wait for them.
    private static final String WAKE_RUNS = """
            update %PREFIX%run r set wake_requested = true, wake_at = null, updated_at = now()
            from unnest(?::text[]) as k(id)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = k.id and t.status = 'running' for update) found
            where r.ctid = found.row_id""";

    // A parent's end carries out the close policy of its children in the same transaction; the
    // children are locked, or created by this transaction (a child started in the same batch).
    private static final String CANCEL_CHILDREN = """
            update %PREFIX%run r set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = now()
            from unnest(?::text[]) as p(id)
              cross join lateral (select ctid as row_id from %PREFIX%run t
                where t.parent_id = p.id and t.status = 'running' and t.parent_close_policy = 'request_cancel' for update) found
            where r.ctid = found.row_id""";

    // A wake-up requested meanwhile (a signal sent while the run was deciding to park) leaves the run due at once.
    private static final String PARK_RUNS = """
            update %PREFIX%run r set owner = null, lease_expires_at = null,
              wake_at = case when r.wake_requested then null else p.wake_at end, updated_at = now()
            from unnest(?::text[], ?::int8[], ?::text[]::timestamptz[]) as p(id, epoch, wake_at)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = p.id and t.epoch = p.epoch for update) found
            where r.ctid = found.row_id""";

    // One step of one run (every batch at concurrency 1) binds its values as plain parameters:
    // encoding and parsing fifteen one-element arrays costs more than the statement saves.
    private static final String STEP_ONE = """
            with locked as (%LOCK_ONE%), written as (
              insert into %PREFIX%journal (run_id, seq, kind, name, state, result, error_type, error_message,
                error_category, error_code, error_stack, attempt, due_at, scheduled_at, updated_at)
              select locked.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, now()
              from locked where locked.epoch = ? and locked.status = 'running'
              %ON_CONFLICT%
            )
            select id, epoch, status from locked""";

    // A keyed step's end alone: its journal entry and its completed record, both from the locked run's row.
    private static final String RECORD_ONE = """
            , %RECORDED% as (
              insert into %PREFIX%activity_record (run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at)
              select locked.id, ?, ?, ?, ?, ?, ?, now(), now()
              from locked where locked.epoch = ? and locked.status = 'running'
              %RECORD_ON_CONFLICT%
            )
            """;

    // A run's end alone (every end at concurrency 1) is one statement. The update of the run's row
    // is its own fence (no row: not running under the epoch, refused); its children and its parent
    // are updated by key, as plain updates, which find a row's newest version even when it changed
    // after the statement began, and only if the run ended.
    private static final String END_ONE = """
            with ended as (
              update %PREFIX%run set status = ?, result = ?, error_type = ?, error_message = ?, error_category = ?,
                error_code = ?, error_stack = ?, completed_at = ?::timestamptz, owner = null, lease_expires_at = null,
                updated_at = now()
              where id = ? and epoch = ? and status = 'running'
              returning id
            )%ALSO%, children as (
              update %PREFIX%run set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = now()
              where parent_id = ? and status = 'running' and parent_close_policy = 'request_cancel'
                and exists (select 1 from ended)
            ), parent as (
              update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = now()
              where id = ? and status = 'running' and exists (select 1 from ended)
            )
            select count(*) from ended""";

    // The last step's entry of a run that ends with it (a keyed step's completion waits for the
    // run's next write, which is then its end): written from the ended row, so that the end's own
    // fence decides for both.
    private static final String WRITTEN_FROM_ENDED = """
            , written as (
              insert into %PREFIX%journal (run_id, seq, kind, name, state, result, error_type, error_message,
                error_category, error_code, error_stack, attempt, due_at, scheduled_at, updated_at)
              select ended.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, now() from ended
              %ON_CONFLICT%
            )""";

    // A reconciliation record of that step, from the ended row as well.
    private static final String RECORDED_FROM_ENDED = """
            , %RECORDED% as (
              insert into %PREFIX%activity_record (run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at)
              select ended.id, ?, ?, ?, ?, ?, ?, now(), now() from ended
              %RECORD_ON_CONFLICT%
            )""";

    // unnest(?::a[], ?::b[]) as x(c1, c2): the arrays of one unnest, and its alias
    private static final Pattern UNNEST_OF_PARAMETERS =
            Pattern.compile("unnest\\(((?:\\s*\\?::[a-z0-9_\\[\\]:]+\\s*,?)+)\\)\\s+as\\s+(\\w+)\\(");

    final String createRuns;
    /** {@link #createRuns} for one run, with plain parameters in {@link #createRuns}'s column order. */
    final String createOne;
    final String stepOne;
    /** {@link #stepOne} that also writes the step's reconciliation record; its seven parameters follow the step's. */
    final String keyedStepOne;
    /**
     * {@link #keyedStepOne} with a second record of another key after the first: a keyed step's end
     * with the next keyed step's {@code started} record, which waited for it.
     */
    final String keyedStepTwoRecords;
    /** A reconciliation record alone, fenced by its run's row as a step: the run id, then the record's seven parameters. */
    final String recordOne;
    final String endOne;
    /**
     * {@link #endOne} that first writes the run's last step, from the ended row: by the number of
     * its reconciliation records (none, one, or two of different keys). The end's ten parameters,
     * the entry's thirteen ({@link #stepOne}'s without the run id and the epoch), six per record
     * ({@link #recordOne}'s without them), then the end's last two.
     */
    private final String[] stepEndOne = new String[3];
    final String endRuns;
    final String parkRuns;
    final String cancelChildren;
    final String wakeRuns;
    /** Ends the runs, then cancels the given runs and wakes the given runs: all three locked beforehand. */
    final String endRunsAndFamily;
    // the lock statement's variants, by lockAndWriteJournal(...)
    private final String[] lockStatements = new String[16];

    PostgresBatchStatements(SqlTemplate sql) {
        this.createRuns = fencedResolve(sql, createRuns(sql));
        this.createOne = sql.resolve(CREATE_ONE.replace("%NEW_LEASE%", sql.dialect().nowPlusMicros("?::int8")));
        String stepOne = STEP_ONE.replace("%LOCK_ONE%", LOCK_ONE).replace("%ON_CONFLICT%", ON_CONFLICT);
        this.stepOne = fencedResolve(sql, stepOne);
        int select = stepOne.lastIndexOf("select id, epoch, status from locked");
        String recordOne = RECORD_ONE.replace("%RECORD_ON_CONFLICT%", RECORD_ON_CONFLICT).replace("%RECORDED%", "recorded");
        String recordNext = RECORD_ONE.replace("%RECORD_ON_CONFLICT%", RECORD_ON_CONFLICT).replace("%RECORDED%", "recorded_next");
        this.keyedStepOne = fencedResolve(sql, stepOne.substring(0, select).stripTrailing() + recordOne + stepOne.substring(select));
        this.keyedStepTwoRecords = fencedResolve(sql,
                stepOne.substring(0, select).stripTrailing() + recordOne.stripTrailing() + recordNext + stepOne.substring(select));
        this.recordOne = fencedResolve(sql, "with locked as (" + LOCK_ONE + ")" + recordOne + stepOne.substring(select));
        this.endOne = fencedResolve(sql, END_ONE.replace("%ALSO%", ""));
        for (int records = 0; records < stepEndOne.length; records++) {
            StringBuilder also = new StringBuilder(WRITTEN_FROM_ENDED.replace("%ON_CONFLICT%", ON_CONFLICT));
            for (int i = 0; i < records; i++) {
                also.append(RECORDED_FROM_ENDED.replace("%RECORDED%", "recorded_" + i).replace("%RECORD_ON_CONFLICT%", RECORD_ON_CONFLICT));
            }
            stepEndOne[records] = fencedResolve(sql, END_ONE.replace("%ALSO%", also));
        }
        this.endRuns = fencedResolve(sql, END_RUNS);
        this.parkRuns = fencedResolve(sql, PARK_RUNS);
        this.cancelChildren = fencedResolve(sql, CANCEL_CHILDREN);
        this.wakeRuns = fencedResolve(sql, WAKE_RUNS);
        this.endRunsAndFamily = fencedResolve(sql, "with ended as (" + END_RUNS + " returning r.id), cancelled as (" + CANCEL_RUNS
                + "), woken as (" + WAKE_RUNS + ") select count(*) from ended");
        for (int variant = 0; variant < lockStatements.length; variant++) {
            lockStatements[variant] = lockStatement(sql, (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0,
                    (variant & 8) != 0);
        }
    }

    /**
     * The statement that locks a batch's runs and writes its journal rows; it answers rows of
     * {@code (kind, id, epoch, status, parent_id)}, kind being {@code run} (a locked run),
     * {@code created}, {@code child} or {@code parent}. Its parameters: the creations' arrays (if
     * {@code creating}), the run id(s) to lock, the journal's arrays, the records' arrays (if
     * {@code recording}), then the ids of the ending runs and of their parents (if {@code family}).
     *
     * @param creating whether it also inserts the batch's new runs
     * @param oneRun whether it locks one run, by primary key
     * @param family whether it also locks the children and parents the batch's ends may touch
     * @param recording whether it also writes reconciliation records
     */
    String lockAndWriteJournal(boolean creating, boolean oneRun, boolean family, boolean recording) {
        return lockStatements[(creating ? 1 : 0) | (oneRun ? 2 : 0) | (family ? 4 : 0) | (recording ? 8 : 0)];
    }

    /** The end of a run with its last step's entry and {@code records} reconciliation records (0 to 2), in one statement. */
    String stepEndOne(int records) {
        return stepEndOne[records];
    }

    /** The insert of new runs, with the database's lease arithmetic. */
    private static String createRuns(SqlTemplate sql) {
        return CREATE_RUNS.replace("%NEW_LEASE%", sql.dialect().nowPlusMicros("n.lease_micros"));
    }

    private static String fencedResolve(SqlTemplate sql, String statement) {
        return sql.resolve(fenced(statement));
    }

    /**
     * Rewrites each {@code unnest(?::a[], ?::b[]) as x(...)} of {@code statement} as {@code (select
     * ?::a[] as a1, ?::b[] as a2 offset 0) x_arrays cross join lateral unnest(x_arrays.a1,
     * x_arrays.a2) as x(...)}: the same rows and parameters in the same order, but the planner
     * cannot see the arrays' lengths through the subquery, so it keeps one generic plan.
     */
    static String fenced(String statement) {
        Matcher unnest = UNNEST_OF_PARAMETERS.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (unnest.find()) {
            String alias = unnest.group(2);
            StringJoiner arrays = new StringJoiner(", ", "(select ", " offset 0) " + alias + "_arrays cross join lateral unnest(");
            StringJoiner columns = new StringJoiner(", ", "", ") as " + alias + "(");
            int column = 1;
            for (String parameter : unnest.group(1).split(",")) {
                arrays.add(parameter.strip() + " as a" + column);
                columns.add(alias + "_arrays.a" + column);
                column++;
            }
            unnest.appendReplacement(out, Matcher.quoteReplacement(arrays + columns.toString()));
        }
        unnest.appendTail(out);
        return out.toString();
    }

    private static String lockStatement(SqlTemplate sql, boolean creating, boolean oneRun, boolean family, boolean recording) {
        StringBuilder with = new StringBuilder("with ");
        StringBuilder select = new StringBuilder("select 'run', id, epoch, status, null::text from locked");
        if (creating) {
            // the new runs are not locked: a run created by this statement is invisible to its lock,
            // so a batch that also writes to a run it creates does not use this variant
            with.append("created as (").append(createRuns(sql)).append("), ");
            select.append(" union all select 'created', id, null::int8, null::text, null::text from created");
        }
        with.append("locked as (").append(oneRun ? LOCK_ONE : LOCK_MANY).append("), written as (").append(WRITE_JOURNAL).append(")");
        if (recording) {
            with.append(", recorded as (").append(WRITE_RECORDS).append(")");
        }
        if (family) {
            with.append(", children as (").append(LOCK_CHILDREN).append("), parents as (").append(LOCK_PARENTS).append(")");
            select.append(" union all select 'child', id, null::int8, null::text, parent_id from children")
                    .append(" union all select 'parent', id, null::int8, null::text, null::text from parents");
        }
        return fencedResolve(sql, with + "\n" + select);
    }
}
