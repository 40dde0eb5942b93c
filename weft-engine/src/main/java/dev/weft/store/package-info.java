/**
 * The storage SPI: what the engine needs from a database. The kernel's {@link dev.weft.store.WorkflowStore}
 * and the readers' {@link dev.weft.store.VisibilityStore} are separate interfaces; the engine depends
 * only on these types, and {@link dev.weft.store.jdbc} implements them over JDBC.
 */
@NullMarked
package dev.weft.store;

import org.jspecify.annotations.NullMarked;
