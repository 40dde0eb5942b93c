package dev.weft.spring;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A reference to a {@link Workflow @Workflow} method, such as {@code OrderWorkflows::process}, for
 * {@link WeftClient#start(WorkflowMethod, Object)}: only the method is read from it, it is never
 * called.
 *
 * @param <T> the bean class
 * @param <I> the payload type
 * @param <R> the result type
 */
@FunctionalInterface
public interface WorkflowMethod<T, I, R> extends Serializable {

    @Nullable R call(T bean, I input) throws Exception;
}
