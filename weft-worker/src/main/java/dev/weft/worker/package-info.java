/**
 * A remote worker for Weft: runs activities registered by name for engines it reaches over
 * WebSocket, with no database and no engine in its process.
 */
@NullMarked
package dev.weft.worker;

import org.jspecify.annotations.NullMarked;
