package dev.weft.spring;

import dev.weft.queue.QueueOptions;
import java.util.Optional;
import java.util.function.Predicate;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.WeftEngine;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityVerifier;
import dev.weft.workflow.WorkflowDefinition;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers every {@link Workflow @Workflow} and {@link Activity @Activity} method found by the
 * {@link DurableMethodPostProcessor} with the engine, once all singletons exist. Each definition
 * calls the method on the bean as the application context exposes it (its proxy), so the bean's
 * other advice applies. Two methods of one kind with the same name fail the start-up.
 */
public class DurableMethodRegistrar implements SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(DurableMethodRegistrar.class);

    private final WeftEngine engine;
    private final DurableMethodPostProcessor processor;
    private final ListableBeanFactory beanFactory;
    private final Predicate<String> servesQueue;

    /** A registrar whose node serves every queue its activities name, if the engine is a worker. */
    public DurableMethodRegistrar(WeftEngine engine, DurableMethodPostProcessor processor, ListableBeanFactory beanFactory) {
        this(engine, processor, beanFactory, queue -> engine.isWorker());
    }

    /**
     * @param servesQueue whether this node serves a queue an {@code @Activity} names: it then gets a
     *     worker pool of the default concurrency, unless the engine serves the queue already
     */
    public DurableMethodRegistrar(WeftEngine engine, DurableMethodPostProcessor processor, ListableBeanFactory beanFactory,
            Predicate<String> servesQueue) {
        this.engine = engine;
        this.processor = processor;
        this.beanFactory = beanFactory;
        this.servesQueue = servesQueue;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, DurableMethod> workflows = new HashMap<>();
        Map<String, DurableMethod> activities = new HashMap<>();
        processor.discovered().forEach((beanName, beanClass) -> {
            if (!beanFactory.isSingleton(beanName)) {
                throw new InvalidDefinitionException("Bean '" + beanName + "' (" + beanClass.getName()
                        + ") has @Workflow or @Activity methods and must then be a singleton");
            }
            Object bean = beanFactory.getBean(beanName);
            for (DurableMethod durable : processor.methods().of(beanClass)) {
                Map<String, DurableMethod> sameKind = durable.kind() == DurableMethod.Kind.WORKFLOW ? workflows : activities;
                DurableMethod clash = sameKind.putIfAbsent(durable.name(), durable);
                if (clash != null) {
                    String kind = durable.kind() == DurableMethod.Kind.WORKFLOW ? "workflow" : "activity";
                    throw new InvalidDefinitionException("Duplicate " + kind + " name '" + durable.name() + "': both "
                            + clash.describe() + " and " + durable.describe() + " use it; give one a distinct name");
                }
                register(durable, bean);
            }
        });
        checkCompensations(activities);
        serveQueues(activities);
        LOG.debug("Registered Weft workflows " + workflows.keySet() + " and activities " + activities.keySet());
    }

    /** Serves the queues the activities name, where this node serves them and the engine does not yet. */
    private void serveQueues(Map<String, DurableMethod> activities) {
        activities.values().stream().map(activity -> activity.options().queue()).flatMap(Optional::stream).distinct()
                .filter(servesQueue).forEach(queue -> engine.serveQueue(queue, QueueOptions.DEFAULT_CONCURRENCY));
    }

    /** The definition with the method's idempotency key expression, verifier bean and idempotent flag. */
    @SuppressWarnings("unchecked")
    private ActivityDefinition<Object, Object> keyed(DurableMethod durable, ActivityDefinition<Object, Object> definition) {
        ActivityDefinition<Object, Object> keyed = definition;
        if (durable.idempotencyKey() != null) {
            keyed = keyed.withIdempotencyKey(SpelIdempotencyKey.of(durable, durable.idempotencyKey()));
        }
        if (durable.verifierBean() != null) {
            Object verifier;
            try {
                verifier = beanFactory.getBean(durable.verifierBean());
            } catch (org.springframework.beans.BeansException e) {
                throw new InvalidDefinitionException("@Activity " + durable.describe() + " names verifier bean '" + durable.verifierBean()
                        + "', which cannot be found: " + e.getMessage(), e);
            }
            if (!(verifier instanceof ActivityVerifier<?, ?> typed)) {
                throw new InvalidDefinitionException("@Activity " + durable.describe() + " names verifier bean '" + durable.verifierBean()
                        + "', which is a " + verifier.getClass().getName() + ", not an ActivityVerifier");
            }
            keyed = keyed.withVerifier((ActivityVerifier<Object, Object>) typed);
        }
        return durable.idempotent() ? keyed.asIdempotent() : keyed;
    }

    /** Refuses an activity whose {@code compensate} names no registered activity, now rather than when a saga fails. */
    private static void checkCompensations(Map<String, DurableMethod> activities) {
        activities.values().forEach(activity -> activity.options().compensation()
                .filter(compensation -> !activities.containsKey(compensation))
                .ifPresent(missing -> {
                    throw new InvalidDefinitionException("@Activity " + activity.describe() + " names '" + missing
                            + "' as its compensation, but no @Activity method has that name; activities are "
                            + activities.keySet().stream().sorted().toList());
                }));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void register(DurableMethod durable, Object bean) {
        Method invocable;
        try {
            invocable = AopUtils.selectInvocableMethod(durable.method(), bean.getClass());
        } catch (IllegalStateException ex) {
            throw new InvalidDefinitionException(durable.describe() + " cannot be called on its bean's proxy "
                    + bean.getClass().getName() + "; use class-based proxies", ex);
        }
        Class input = durable.payloadType();
        Class result = durable.resultType();
        if (durable.kind() == DurableMethod.Kind.WORKFLOW) {
            // The origin names the method in the engine's messages, such as development mode's warning
            // about a run that completed without any durable operation.
            engine.register(new WorkflowDefinition<Object, Object>(durable.name(), input, result,
                    (context, payload) -> DurableCallInterceptor.callForEngine(durable, invocable, bean,
                            durable.arguments(payload, context))).withOrigin(durable.describe()));
        } else {
            engine.register(keyed(durable, new ActivityDefinition<Object, Object>(durable.name(), input, result,
                    (payload, context) -> DurableCallInterceptor.callForEngine(durable, invocable, bean,
                            durable.arguments(payload, context)), durable.options())));
        }
    }
}
