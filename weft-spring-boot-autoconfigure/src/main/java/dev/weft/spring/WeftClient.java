package dev.weft.spring;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Starts runs and reaches existing ones without waiting for them, for code such as controllers
 * and message listeners. Runs are started by workflow type name or, type-safely, by a reference to
 * the {@link Workflow @Workflow} method: {@code client.start(OrderWorkflows::process, order)}.
 */
public class WeftClient {

    private final WeftEngine engine;
    private final DurableMethods methods;

    public WeftClient(WeftEngine engine, DurableMethodPostProcessor processor) {
        this.engine = engine;
        this.methods = processor.methods();
    }

    /** Starts a run of the workflow type {@code type} with a generated id. */
    public WorkflowHandle<Object> start(String type, @Nullable Object input) {
        return engine.start(type, input, StartOptions.defaults());
    }

    /** Starts a run of the workflow type {@code type}; the run is durable when this returns. */
    public WorkflowHandle<Object> start(String type, @Nullable Object input, StartOptions options) {
        return engine.start(type, input, options);
    }

    /** Starts a run of the workflow that {@code workflow} refers to, with a generated id. */
    public <T, I, R> WorkflowHandle<R> start(WorkflowMethod<T, I, R> workflow, @Nullable I input) {
        return start(workflow, input, StartOptions.defaults());
    }

    /** Starts a run of the workflow that {@code workflow} refers to, such as {@code OrderWorkflows::process}. */
    @SuppressWarnings("unchecked")
    public <T, I, R> WorkflowHandle<R> start(WorkflowMethod<T, I, R> workflow, @Nullable I input, StartOptions options) {
        DurableMethod durable = resolve(workflow);
        WorkflowHandle<Object> started = engine.start(durable.name(), input, options);
        return engine.handle(started.id(), (Class<R>) durable.resultType());
    }

    /** A handle on an existing run. */
    public WorkflowHandle<Object> handle(String id) {
        return engine.handle(id);
    }

    /** A handle on an existing run with its result read as {@code resultType}. */
    public <R> WorkflowHandle<R> handle(String id, Class<R> resultType) {
        return engine.handle(id, resultType);
    }

    /**
     * Cancels a run wherever it is driven.
     *
     * @return {@code false} if the run had already ended
     */
    public boolean cancel(String id) {
        return engine.cancel(id);
    }

    private DurableMethod resolve(WorkflowMethod<?, ?, ?> reference) {
        SerializedLambda lambda = serialized(reference);
        ClassLoader loader = reference.getClass().getClassLoader();
        Class<?> owner = ClassUtils.resolveClassName(lambda.getImplClass().replace('/', '.'), loader);
        Method method = Arrays.stream(ReflectionUtils.getUniqueDeclaredMethods(owner))
                .filter(candidate -> candidate.getName().equals(lambda.getImplMethodName())
                        && descriptor(candidate).equals(lambda.getImplMethodSignature()))
                .findFirst()
                .orElseThrow(() -> new InvalidDefinitionException("Cannot find " + owner.getName() + "." + lambda.getImplMethodName()
                        + "; pass a method reference such as OrderWorkflows::process"));
        DurableMethod durable = methods.find(method, owner);
        if (durable == null || durable.kind() != DurableMethod.Kind.WORKFLOW) {
            throw new InvalidDefinitionException(DurableMethod.describe(owner, method) + " is not a @Workflow method");
        }
        return durable;
    }

    private static SerializedLambda serialized(WorkflowMethod<?, ?, ?> reference) {
        try {
            Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return (SerializedLambda) writeReplace.invoke(reference);
        } catch (ReflectiveOperationException | ClassCastException ex) {
            throw new InvalidDefinitionException("Pass a method reference to a @Workflow method, such as OrderWorkflows::process", ex);
        }
    }

    private static String descriptor(Method method) {
        StringBuilder descriptor = new StringBuilder("(");
        for (Class<?> parameter : method.getParameterTypes()) {
            descriptor.append(parameter.descriptorString());
        }
        return descriptor.append(')').append(method.getReturnType().descriptorString()).toString();
    }
}
