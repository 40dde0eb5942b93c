/**
 * The JSON bodies of the REST API under {@code /api/v1}, one record per request and per answer,
 * and the error body: the one definition of the wire format, used by the server (Weft's Spring
 * MVC controllers) and by {@link dev.weft.client.HttpWorkflowClient}. Field names are the wire's
 * names; a field that the wire may leave out is nullable. {@link WireFormat} reads and writes them.
 */
@NullMarked
package dev.weft.client.wire;

import org.jspecify.annotations.NullMarked;
