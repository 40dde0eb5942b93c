package dev.weft.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public bean method a workflow type. Called from outside a workflow, the method starts a
 * durable run and waits for its result; the engine runs the method's body, replaying it after a
 * crash, so it must call its activities in a deterministic order.
 *
 * <p>The method takes at most one payload parameter (serialized as JSON) and optionally a
 * {@link dev.weft.workflow.WorkflowContext} parameter, which is injected; its return value is the
 * run's result.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Workflow {

    /** The workflow type, persisted with every run: the method name when empty. Placeholders are resolved. */
    String name() default "";
}
