/**
 * The REST API under {@code /api/v1}: controllers that route by resource (runs, signals and
 * queries, async activities), one advice that turns every error into the API's error body,
 * bounded request bodies read into the wire records of {@code dev.weft.client.wire}, and the
 * access rules it applies when Spring Security does not guard it.
 */
@NullMarked
package dev.weft.spring.web;

import org.jspecify.annotations.NullMarked;
