-- Weft schema for H2 2.2+. Safe to run again: every statement is "if not exists".
-- The prefix "weft_" may be replaced by a configured one.

create table if not exists weft_run (
    id               varchar(200)             not null primary key,
    type             varchar(200)             not null,
    status           varchar(20)              not null,
    input            character large object   not null,
    result           character large object,
    error_type       varchar(1000),
    error_message    character large object,
    error_category   varchar(20),
    error_code       varchar(100),
    error_stack      character large object,
    owner            varchar(200),
    epoch            bigint                   not null,
    lease_expires_at timestamp(6) with time zone,
    claimed_at       timestamp(6) with time zone,
    cancel_requested boolean                  default false not null,
    wake_requested   boolean                  default false not null,
    created_at       timestamp(6) with time zone not null,
    updated_at       timestamp(6) with time zone not null,
    completed_at     timestamp(6) with time zone
);

create index if not exists weft_run_status_lease_expires_at_idx on weft_run (status, lease_expires_at);

create index if not exists weft_run_owner_idx on weft_run (owner);

create table if not exists weft_journal (
    run_id         varchar(200)             not null,
    seq            bigint                   not null,
    kind           varchar(20)              not null,
    name           varchar(1000)            not null,
    state          varchar(20)              not null,
    result         character large object,
    error_type     varchar(1000),
    error_message  character large object,
    error_category varchar(20),
    error_code     varchar(100),
    error_stack    character large object,
    attempt        integer                  not null,
    due_at         timestamp(6) with time zone,
    scheduled_at   timestamp(6) with time zone,
    updated_at     timestamp(6) with time zone not null,
    primary key (run_id, seq)
);

create index if not exists weft_journal_state_due_at_idx on weft_journal (state, due_at);
