/**
 * The REST API under {@code /api/v1}: its controller, its error shape, bounded request bodies,
 * and the access rules it applies when Spring Security does not guard it.
 */
@NullMarked
package dev.weft.spring.web;

import org.jspecify.annotations.NullMarked;
