/**
 * The benchmark suite: the engine against a raw-JDBC baseline that writes the same durable rows
 * with one commit per step, and against the database's own ceiling. Run through
 * {@link dev.weft.bench.Benchmarks}; see {@code benchmarks/README.md}.
 */
@NullMarked
package dev.weft.bench;

import org.jspecify.annotations.NullMarked;
