/**
 * The transport-neutral client: start, inspect, wait for, cancel, list and delete runs, and
 * complete out-of-band activities, in process ({@link dev.weft.client.EngineWorkflowClient}) or
 * over the REST API ({@link dev.weft.client.HttpWorkflowClient}).
 */
@NullMarked
package dev.weft.client;

import org.jspecify.annotations.NullMarked;
