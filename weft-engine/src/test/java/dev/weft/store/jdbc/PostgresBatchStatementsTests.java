package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rewriting that keeps PostgreSQL from planning the batch statements again on every execution. */
class PostgresBatchStatementsTests {

    @Test
    void arraysReachUnnestThroughAFencedSubqueryInTheirOrder() {
        String fenced = PostgresBatchStatements.fenced(
                "select * from unnest(?::text[], ?::int8[], ?::text[]::timestamptz[]) as e(id, epoch, due) where e.id = ?");

        assertThat(fenced).isEqualTo("select * from (select ?::text[] as a1, ?::int8[] as a2, ?::text[]::timestamptz[] as a3"
                + " offset 0) e_arrays cross join lateral unnest(e_arrays.a1, e_arrays.a2, e_arrays.a3) as e(id, epoch, due)"
                + " where e.id = ?");
    }

    @Test
    void everyUnnestOfAStatementIsFencedAndTheRestIsLeftAsItIs() {
        String fenced = PostgresBatchStatements.fenced("""
                with a as (select x from unnest(?::text[]) as k(x)), b as (select y from unnest(
                  ?::int8[],
                  ?::int4[]) as m(y, z))
                select unnest(array[1, 2]) as plain from a, b""");

        assertThat(fenced).contains("(select ?::text[] as a1 offset 0) k_arrays cross join lateral unnest(k_arrays.a1) as k(x)")
                .contains("(select ?::int8[] as a1, ?::int4[] as a2 offset 0) m_arrays cross join lateral "
                        + "unnest(m_arrays.a1, m_arrays.a2) as m(y, z)")
                .contains("select unnest(array[1, 2]) as plain from a, b");
        assertThat(fenced.chars().filter(c -> c == '?').count()).isEqualTo(3);
    }
}
