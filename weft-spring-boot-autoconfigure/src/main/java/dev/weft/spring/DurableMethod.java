package dev.weft.spring;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.activity.ActivityContext;
import dev.weft.activity.ActivityOptions;
import dev.weft.retry.RetryOverride;
import dev.weft.workflow.WorkflowContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * One {@link Workflow @Workflow} or {@link Activity @Activity} method as read from its bean's
 * class: its name, which parameter is the payload and which take an injected context, its result
 * type and, for an activity, its options.
 */
final class DurableMethod {

    enum Kind {
        WORKFLOW, ACTIVITY
    }

    private final Kind kind;
    private final String name;
    private final Method method;
    private final Class<?> beanClass;
    private final int payloadIndex;
    private final Class<?> payloadType;
    private final Class<?> resultType;
    private final ActivityOptions options;
    private final @Nullable String idempotencyKey;
    private final @Nullable String verifierBean;
    private final boolean idempotent;

    private DurableMethod(Kind kind, String name, Method method, Class<?> beanClass, int payloadIndex, Class<?> resultType,
            ActivityOptions options, @Nullable String idempotencyKey, @Nullable String verifierBean, boolean idempotent) {
        this.kind = kind;
        this.name = name;
        this.method = method;
        this.beanClass = beanClass;
        this.payloadIndex = payloadIndex;
        this.payloadType = payloadIndex < 0 ? Void.class : ClassUtils.resolvePrimitiveIfNecessary(method.getParameterTypes()[payloadIndex]);
        this.resultType = resultType;
        this.options = options;
        this.idempotencyKey = idempotencyKey;
        this.verifierBean = verifierBean;
        this.idempotent = idempotent;
    }

    /**
     * Reads {@code method} of {@code beanClass}, or returns {@code null} when it carries neither
     * annotation.
     *
     * @param placeholders resolves {@code ${...}} in the annotations' text attributes
     * @throws InvalidDefinitionException naming the class and method when the method cannot be one
     */
    static @Nullable DurableMethod read(Method method, Class<?> beanClass, Function<String, String> placeholders) {
        Workflow workflow = AnnotatedElementUtils.findMergedAnnotation(method, Workflow.class);
        Activity activity = AnnotatedElementUtils.findMergedAnnotation(method, Activity.class);
        if (workflow == null && activity == null) {
            return null;
        }
        String where = describe(beanClass, method);
        if (workflow != null && activity != null) {
            throw invalid(where, "is annotated both @Workflow and @Activity; a method is one or the other");
        }
        Kind kind = workflow != null ? Kind.WORKFLOW : Kind.ACTIVITY;
        String annotation = kind == Kind.WORKFLOW ? "@Workflow" : "@Activity";
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers) || !Modifier.isPublic(modifiers) || Modifier.isFinal(modifiers)) {
            throw invalid(where, "must be a public, non-static, non-final method to be a " + annotation
                    + " method: calls to it go through a proxy");
        }
        if (Modifier.isFinal(beanClass.getModifiers())) {
            throw invalid(where, "is declared in a final class, which cannot be proxied; make the class non-final");
        }
        Class<?> injected = kind == Kind.WORKFLOW ? WorkflowContext.class : ActivityContext.class;
        Class<?> misplaced = kind == Kind.WORKFLOW ? ActivityContext.class : WorkflowContext.class;
        int payloadIndex = -1;
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == injected) {
                continue;
            }
            if (parameters[i] == misplaced) {
                throw invalid(where, "takes a " + misplaced.getSimpleName() + ", which only " + (kind == Kind.WORKFLOW
                        ? "@Activity" : "@Workflow") + " methods are given");
            }
            if (payloadIndex >= 0) {
                throw invalid(where, "has two payload parameters (" + parameters[payloadIndex].getSimpleName() + " and "
                        + parameters[i].getSimpleName() + "); a " + annotation + " method takes at most one, plus an optional "
                        + injected.getSimpleName() + ". Wrap several values in a record");
            }
            payloadIndex = i;
        }
        Class<?> resultType = method.getReturnType() == void.class ? Void.class : ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType());
        if (kind == Kind.WORKFLOW) {
            String name = nameOf(workflow.name(), method, placeholders);
            return new DurableMethod(kind, name, method, beanClass, payloadIndex, resultType, ActivityOptions.none(), null, null, false);
        }
        String name = nameOf(activity.name(), method, placeholders);
        try {
            ActivityOptions options = optionsOf(activity, placeholders);
            String key = placeholders.apply(activity.idempotencyKey());
            String verifier = placeholders.apply(activity.verifier());
            return new DurableMethod(kind, name, method, beanClass, payloadIndex, resultType, options,
                    StringUtils.hasText(key) ? key : null, StringUtils.hasText(verifier) ? verifier.strip() : null, activity.idempotent());
        } catch (RuntimeException ex) {
            throw new InvalidDefinitionException("@Activity " + where + " has an invalid attribute: " + ex.getMessage(), ex);
        }
    }

    private static String nameOf(String declared, Method method, Function<String, String> placeholders) {
        String resolved = placeholders.apply(declared);
        return StringUtils.hasText(resolved) ? resolved.strip() : method.getName();
    }

    private static ActivityOptions optionsOf(Activity activity, Function<String, String> placeholders) {
        RetryOverride retry = RetryOverride.none();
        String maxAttempts = placeholders.apply(activity.maxAttempts());
        if (StringUtils.hasText(maxAttempts)) {
            retry = retry.maxAttempts(parse("maxAttempts", maxAttempts, Integer::parseInt));
        }
        Duration initialBackoff = duration("initialBackoff", activity.initialBackoff(), placeholders);
        if (initialBackoff != null) {
            retry = retry.initialBackoff(initialBackoff);
        }
        String multiplier = placeholders.apply(activity.backoffMultiplier());
        if (StringUtils.hasText(multiplier)) {
            retry = retry.backoffMultiplier(parse("backoffMultiplier", multiplier, Double::parseDouble));
        }
        Duration maxBackoff = duration("maxBackoff", activity.maxBackoff(), placeholders);
        if (maxBackoff != null) {
            retry = retry.maxBackoff(maxBackoff);
        }
        List<String> nonRetryable = new ArrayList<>();
        Arrays.stream(activity.nonRetryable()).map(Class::getName).forEach(nonRetryable::add);
        Arrays.stream(activity.nonRetryableErrors()).map(placeholders).filter(StringUtils::hasText).forEach(nonRetryable::add);
        if (!nonRetryable.isEmpty()) {
            retry = retry.nonRetryableErrors(nonRetryable);
        }
        ActivityOptions.Builder options = ActivityOptions.builder().retry(retry);
        Duration timeout = duration("timeout", activity.timeout(), placeholders);
        if (timeout != null) {
            options.timeout(timeout);
        }
        Duration scheduleToClose = duration("scheduleToCloseTimeout", activity.scheduleToCloseTimeout(), placeholders);
        if (scheduleToClose != null) {
            options.scheduleToCloseTimeout(scheduleToClose);
        }
        String compensate = placeholders.apply(activity.compensate());
        if (StringUtils.hasText(compensate)) {
            options.compensation(compensate.strip());
        }
        String queue = placeholders.apply(activity.queue());
        if (StringUtils.hasText(queue)) {
            options.queue(queue.strip());
        }
        Duration visibilityTimeout = duration("visibilityTimeout", activity.visibilityTimeout(), placeholders);
        if (visibilityTimeout != null) {
            options.visibilityTimeout(visibilityTimeout);
        }
        String priority = placeholders.apply(activity.priority());
        if (StringUtils.hasText(priority)) {
            options.priority(parse("priority", priority, Integer::parseInt));
        }
        // validates the combination now, at start-up, rather than at the first call
        retry.applyTo(dev.weft.retry.RetryPolicy.defaults());
        return options.build();
    }

    private static @Nullable Duration duration(String attribute, String declared, Function<String, String> placeholders) {
        String value = placeholders.apply(declared);
        return StringUtils.hasText(value) ? parse(attribute, value.strip(), DurationStyle::detectAndParse) : null;
    }

    private static <T> T parse(String attribute, String value, Function<String, T> parser) {
        try {
            return parser.apply(value.strip());
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(attribute + " = '" + value + "' cannot be read (" + ex.getMessage() + ")", ex);
        }
    }

    static String describe(Class<?> beanClass, Method method) {
        return beanClass.getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static InvalidDefinitionException invalid(String where, String problem) {
        return new InvalidDefinitionException(where + " " + problem);
    }

    Kind kind() {
        return kind;
    }

    String name() {
        return name;
    }

    Method method() {
        return method;
    }

    Class<?> payloadType() {
        return payloadType;
    }

    Class<?> resultType() {
        return resultType;
    }

    ActivityOptions options() {
        return options;
    }

    @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /** The name of the bean that verifies the activity's keyed calls, or {@code null}. */
    @Nullable String verifierBean() {
        return verifierBean;
    }

    boolean idempotent() {
        return idempotent;
    }

    String describe() {
        return describe(beanClass, method);
    }

    /** The payload among the arguments of a call. */
    @Nullable Object payload(@Nullable Object[] arguments) {
        return payloadIndex < 0 ? null : arguments[payloadIndex];
    }

    /** The arguments of a call of the method by the engine: the payload, and the context where a context is taken. */
    @Nullable Object[] arguments(@Nullable Object payload, Object context) {
        Class<?>[] parameters = method.getParameterTypes();
        @Nullable Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            arguments[i] = i == payloadIndex ? payload : context;
        }
        return arguments;
    }
}
