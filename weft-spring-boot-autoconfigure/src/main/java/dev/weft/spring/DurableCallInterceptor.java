package dev.weft.spring;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.workflow.CurrentWorkflow;
import dev.weft.workflow.WorkflowContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Routes calls to durable methods: an {@link Activity @Activity} method called inside a running
 * workflow becomes a durable step of that workflow, and a {@link Workflow @Workflow} method called
 * outside one starts a run and waits for its result. Any other call, and the engine's own call of
 * the method it runs, goes through to the bean.
 */
final class DurableCallInterceptor implements MethodInterceptor {

    /** The durable method the engine is calling on this thread, which must run, not be routed again. */
    private static final ThreadLocal<Method> ENGINE_CALL = new ThreadLocal<>();

    private final DurableMethods methods;
    private final Supplier<WeftEngine> engine;

    DurableCallInterceptor(DurableMethods methods, Supplier<WeftEngine> engine) {
        this.methods = methods;
        this.engine = engine;
    }

    /**
     * Calls a durable method for the engine, through {@code bean} (the proxy, so that other advice
     * such as transactions applies) without routing the call back to the engine.
     */
    static @Nullable Object callForEngine(DurableMethod durable, Method invocable, Object bean, @Nullable Object[] arguments)
            throws Exception {
        Method previous = ENGINE_CALL.get();
        ENGINE_CALL.set(durable.method());
        try {
            ReflectionUtils.makeAccessible(invocable);
            return invocable.invoke(bean, arguments);
        } catch (InvocationTargetException ex) {
            Throwable cause = ex.getTargetException();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        } finally {
            restore(previous);
        }
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        if (target == null) {
            return invocation.proceed();
        }
        Class<?> beanClass = ClassUtils.getUserClass(AopUtils.getTargetClass(target));
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), beanClass);
        DurableMethod durable = methods.find(method, beanClass);
        if (durable == null) {
            return invocation.proceed();
        }
        Method engineCall = ENGINE_CALL.get();
        if (method.equals(engineCall)) {
            // the engine runs this method: calls the method makes are routed again
            ENGINE_CALL.remove();
            try {
                return invocation.proceed();
            } finally {
                restore(engineCall);
            }
        }
        WorkflowContext workflow = CurrentWorkflow.get();
        Object payload = durable.payload(invocation.getArguments());
        return switch (durable.kind()) {
            case ACTIVITY -> workflow == null ? invocation.proceed() : workflow.run(durable.name(), payload, durable.resultType());
            // Inside a workflow, a workflow method is a child workflow: durable, awaited, with the default close policy.
            case WORKFLOW -> workflow != null ? workflow.runChild(durable.name(), payload, durable.resultType())
                    : engine.get().start(durable.name(), payload, StartOptions.defaults()).result();
        };
    }

    private static void restore(@Nullable Method previous) {
        if (previous == null) {
            ENGINE_CALL.remove();
        } else {
            ENGINE_CALL.set(previous);
        }
    }
}
