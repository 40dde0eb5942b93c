/**
 * The storage SPI: what the engine needs from a database. The engine depends only on these
 * types; {@link dev.weft.store.jdbc} implements them over JDBC.
 */
@NullMarked
package dev.weft.store;

import org.jspecify.annotations.NullMarked;
