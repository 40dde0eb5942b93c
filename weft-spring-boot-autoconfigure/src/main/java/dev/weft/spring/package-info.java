/**
 * Weft for Spring beans: {@link dev.weft.spring.Workflow @Workflow} and
 * {@link dev.weft.spring.Activity @Activity} methods, the proxies that make calls to them durable,
 * and the {@link dev.weft.spring.WeftClient} for starting runs without waiting.
 */
@NullMarked
package dev.weft.spring;

import org.jspecify.annotations.NullMarked;
