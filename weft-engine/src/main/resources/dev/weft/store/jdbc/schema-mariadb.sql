-- Weft schema for MariaDB 10.6+ and MySQL 8+. Safe to run again: every statement is "if not exists".
-- Indexes are declared inside the tables because MySQL has no "create index if not exists".
-- There is no time-zone type: every datetime(6) column holds UTC.
-- The prefix "weft_" may be replaced by a configured one.

create table if not exists weft_run (
    id               varchar(200)  not null primary key,
    type             varchar(200)  not null,
    status           varchar(20)   not null,
    input            longtext      not null,
    result           longtext,
    error_type       varchar(1000),
    error_message    longtext,
    error_category   varchar(20),
    error_code       varchar(100),
    error_stack      longtext,
    owner            varchar(200),
    epoch            bigint        not null,
    lease_expires_at datetime(6),
    claimed_at       datetime(6),
    cancel_requested boolean       not null default false,
    wake_requested   boolean       not null default false,
    wake_at          datetime(6),
    deadline_at      datetime(6),
    version          integer not null default 1,
    parent_id        varchar(200),
    parent_seq       bigint,
    parent_close_policy varchar(20),
    depth            integer not null default 0,
    restarted_from   varchar(200),
    created_at       datetime(6)   not null,
    updated_at       datetime(6)   not null,
    completed_at     datetime(6),
    index weft_run_status_lease_expires_at_idx (status, lease_expires_at),
    index weft_run_owner_idx (owner),
    index weft_run_status_wake_at_idx (status, wake_at),
    index weft_run_parent_id_idx (parent_id)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

create table if not exists weft_journal (
    run_id         varchar(200)  not null,
    seq            bigint        not null,
    kind           varchar(20)   not null,
    name           varchar(1000) not null,
    state          varchar(20)   not null,
    result         longtext,
    error_type     varchar(1000),
    error_message  longtext,
    error_category varchar(20),
    error_code     varchar(100),
    error_stack    longtext,
    attempt        integer       not null,
    due_at         datetime(6),
    scheduled_at   datetime(6),
    updated_at     datetime(6)   not null,
    primary key (run_id, seq)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

create table if not exists weft_signal (
    id           bigint        not null auto_increment primary key,
    run_id       varchar(200)  not null,
    name         varchar(200)  not null,
    payload      longtext,
    signal_id    varchar(128),
    consumed_seq bigint,
    created_at   datetime(6)   not null,
    unique index weft_signal_run_id_signal_id_idx (run_id, signal_id),
    index weft_signal_run_id_name_consumed_seq_idx (run_id, name, consumed_seq)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

-- One row per live worker node: a second process started with the same node id is refused while
-- the first one's heartbeat (on the database clock) is younger than a lease.
create table if not exists weft_node (
    node_id      varchar(200)  not null primary key,
    host         varchar(255),
    pid          bigint,
    started_at   datetime(6)   not null,
    heartbeat_at datetime(6)   not null
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

-- One row per idempotency key of a start (per workflow type): the run the key leads to. The key is
-- kept as its SHA-256 digest, never in clear. Its primary key decides, atomically across nodes,
-- which of two starts with one key creates the run.
create table if not exists weft_start_key (
    workflow_type varchar(200) not null,
    key_digest    varchar(64)  not null,
    run_id        varchar(200) not null,
    created_at    datetime(6) not null,
    updated_at    datetime(6) not null,
    primary key (workflow_type, key_digest)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

-- One row per idempotency key of an activity in a run: the reconciliation record. 'started' is
-- written (fenced by the run's epoch) before a keyed attempt is dispatched, 'completed' with its
-- result as soon as it returns. The key is kept as its SHA-256 digest, never in clear.
create table if not exists weft_activity_record (
    run_id        varchar(200) not null,
    activity      varchar(200) not null,
    key_digest    varchar(64)  not null,
    seq           bigint       not null,
    state         varchar(20)  not null,
    attempt       integer      not null,
    result        longtext,
    created_at    datetime(6) not null,
    updated_at    datetime(6) not null,
    primary key (run_id, activity, key_digest)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

-- One row per activity attempt put on a queue, written in the checkpoint that records the step as
-- queued, removed when the worker that claimed it writes the outcome. Times are epoch
-- milliseconds of the engine clock, so that a claim's expiry is plain arithmetic on every database.
create table if not exists weft_task (
    id                    bigint        not null auto_increment primary key,
    run_id                varchar(200)  not null,
    seq                   bigint        not null,
    attempt               integer       not null,
    queue                 varchar(200)  not null,
    activity              varchar(200)  not null,
    input                 longtext      not null,
    priority              integer       not null,
    fairness_key          varchar(200),
    visibility_timeout_ms bigint        not null,
    enqueued_ms           bigint        not null,
    claim_token           varchar(64),
    claimed_by            varchar(200),
    claim_expires_ms      bigint,
    claims                integer       not null,
    unique index weft_task_run_id_seq_idx (run_id, seq),
    index weft_task_queue_priority_idx (queue, priority, id),
    index weft_task_claim_token_idx (claim_token)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;

-- One row per queue with settings or a pause: the cluster-wide limits every claim checks under
-- this row's lock, the rate limit's bucket (tokens as of tokens_at_ms), and in a fair queue the
-- fairness key claimed last, after which the next claim starts its round of the keys.
create table if not exists weft_task_queue (
    name           varchar(200) not null primary key,
    paused         boolean      not null default false,
    max_in_flight  integer,
    rate_limit     integer,
    rate_period_ms bigint,
    fair           boolean      not null default false,
    fair_cursor    varchar(200),
    tokens         double,
    tokens_at_ms   bigint
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin;
