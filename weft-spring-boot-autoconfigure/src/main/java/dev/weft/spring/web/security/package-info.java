/** The REST API's pieces that need Spring Security: refusals in the API's shape and the JWT hook. */
@NullMarked
package dev.weft.spring.web.security;

import org.jspecify.annotations.NullMarked;
