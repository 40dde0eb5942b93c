package dev.weft.spring;

import dev.weft.activity.CurrentActivity;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.worker.RemoteActivity;
import dev.weft.worker.RemoteWorker;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes an application's {@code @Activity} beans a remote worker: one {@link RemoteWorker} per
 * queue they name, each running the activities of its queue by name, with no engine and no
 * database in this process. Started with the context, drained when it stops.
 */
public final class RemoteActivityBeans implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(RemoteActivityBeans.class);

    private final ListableBeanFactory beans;
    private final JsonMapper mapper;
    private final Function<String, RemoteWorker.Builder> workerOfQueue;
    private final List<String> queues;
    private final DurableMethods methods;
    private final List<RemoteWorker> workers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param workerOfQueue a worker builder for a queue, with the servers, credentials and limits set
     * @param queues the queues to serve; empty for every queue an {@code @Activity} bean names
     * @param placeholders resolves {@code ${...}} in the annotations
     */
    public RemoteActivityBeans(ListableBeanFactory beans, JsonMapper mapper, Function<String, RemoteWorker.Builder> workerOfQueue,
            List<String> queues, Function<String, String> placeholders) {
        this.beans = beans;
        this.mapper = mapper;
        this.workerOfQueue = workerOfQueue;
        this.queues = List.copyOf(queues);
        this.methods = new DurableMethods(placeholders);
    }

    /** The activities by queue that this application's beans provide, as the workers will register them. */
    public Map<String, List<String>> activitiesByQueue() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        activities().forEach((queue, byName) -> names.put(queue, List.copyOf(byName.keySet())));
        return names;
    }

    private Map<String, Map<String, RemoteActivity>> activities() {
        Map<String, Map<String, RemoteActivity>> byQueue = new LinkedHashMap<>();
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            for (DurableMethod method : methods.of(type)) {
                String queue = method.options().queue().orElse(null);
                if (method.kind() != DurableMethod.Kind.ACTIVITY || queue == null || (!queues.isEmpty() && !queues.contains(queue))) {
                    continue;
                }
                Map<String, RemoteActivity> ofQueue = byQueue.computeIfAbsent(queue, key -> new LinkedHashMap<>());
                if (ofQueue.put(method.name(), activity(name, method)) != null) {
                    throw new InvalidDefinitionException("Two @Activity methods are named '" + method.name() + "' on queue '" + queue
                            + "' (one is " + method.describe() + ")");
                }
            }
        }
        return byQueue;
    }

    private RemoteActivity activity(String beanName, DurableMethod method) {
        return (input, context) -> {
            Object bean = beans.getBean(beanName);
            Object payload = method.payloadType() == Void.class ? null : mapper.treeToValue(input, method.payloadType());
            RemoteActivityContext engineContext = new RemoteActivityContext(context);
            try (CurrentActivity.Scope scope = CurrentActivity.bind(engineContext)) {
                return AopUtils.invokeJoinpointUsingReflection(bean, method.method(), method.arguments(payload, engineContext));
            } catch (Throwable thrown) {
                throw thrown instanceof Exception exception ? exception : new InvocationTargetException(thrown);
            }
        };
    }

    @Override
    public void start() {
        Map<String, Map<String, RemoteActivity>> byQueue = activities();
        if (byQueue.isEmpty()) {
            LOG.warn("weft.remote-worker is configured, but no @Activity bean names a queue"
                    + (queues.isEmpty() ? "" : " among " + queues) + ": this application serves nothing");
        }
        byQueue.forEach((queue, activities) -> {
            RemoteWorker.Builder builder = workerOfQueue.apply(queue);
            activities.forEach(builder::activity);
            workers.add(builder.build().start());
            LOG.info("Serving queue " + queue + " as a remote worker with activities " + activities.keySet());
        });
        running = true;
    }

    @Override
    public void stop() {
        workers.forEach(RemoteWorker::close);
        workers.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The workers, one per queue served. */
    public List<RemoteWorker> workers() {
        return List.copyOf(workers);
    }
}
