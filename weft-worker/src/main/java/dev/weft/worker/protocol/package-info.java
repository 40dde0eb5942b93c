/**
 * Upstream Weft's remote worker protocol, version 1: the JSON text frames a worker and an engine
 * exchange over one WebSocket per queue, read and validated in one place for both sides.
 */
@NullMarked
package dev.weft.worker.protocol;

import org.jspecify.annotations.NullMarked;
