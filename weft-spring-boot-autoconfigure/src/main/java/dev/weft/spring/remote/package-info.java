/**
 * The engine's side of remote workers: the WebSocket endpoint of each queue, protocol v1, routing
 * of claimed tasks to connected workers, their claims kept alive by heartbeats, and their results
 * written under each claim. The core classes do not depend on Spring's WebSocket types; only
 * {@link dev.weft.spring.remote.WorkerWebSocketHandler} does.
 */
@NullMarked
package dev.weft.spring.remote;

import org.jspecify.annotations.NullMarked;
