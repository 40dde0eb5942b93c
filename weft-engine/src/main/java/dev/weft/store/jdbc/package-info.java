/**
 * The {@link dev.weft.store.WorkflowStore} over JDBC: one schema script and one {@link JdbcDialect}
 * per supported database (PostgreSQL, MariaDB/MySQL, H2), written with Spring's {@code JdbcClient}
 * and checkpoints grouped into one transaction by a single flusher thread.
 */
@NullMarked
package dev.weft.store.jdbc;

import org.jspecify.annotations.NullMarked;
