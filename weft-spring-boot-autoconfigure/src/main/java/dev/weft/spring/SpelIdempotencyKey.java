package dev.weft.spring;

import dev.weft.failure.InvalidDefinitionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The idempotency key of an {@link Activity @Activity} call, from the SpEL expression of its
 * {@code idempotencyKey} attribute evaluated over the call's arguments: the payload by its
 * parameter name or as {@code #p0} / {@code #a0}. Parsed once, at start-up.
 */
final class SpelIdempotencyKey implements Function<Object, String> {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final DurableMethod activity;
    private final Expression expression;

    private SpelIdempotencyKey(DurableMethod activity, Expression expression) {
        this.activity = activity;
        this.expression = expression;
    }

    /** @throws InvalidDefinitionException naming the method when the expression does not parse */
    static SpelIdempotencyKey of(DurableMethod activity, String expression) {
        try {
            return new SpelIdempotencyKey(activity, PARSER.parseExpression(expression));
        } catch (ParseException e) {
            throw new InvalidDefinitionException("@Activity " + activity.describe() + " has an idempotencyKey that is not a SpEL "
                    + "expression: " + e.getMessage(), e);
        }
    }

    @Override
    public String apply(@Nullable Object payload) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, activity.method(),
                activity.arguments(payload, null), PARAMETER_NAMES);
        Object key = expression.getValue(context);
        if (key == null) {
            throw new IllegalArgumentException("The idempotencyKey of @Activity " + activity.describe() + " gave null for this call");
        }
        return key.toString();
    }
}
