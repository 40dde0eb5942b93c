package dev.weft.internal;

import dev.weft.failure.InvalidInputException;
import dev.weft.failure.PayloadException;
import dev.weft.failure.QueryNotFoundException;
import dev.weft.payload.PayloadSerializer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The query handlers a workflow registered ({@code onQuery}), and the answers they give: not
 * journal operations, so registering one takes no position.
 */
final class QueryHandlers {

    /** A registered handler and the type its argument is read as ({@code Void} for none). */
    private record Handler(Class<?> argumentType, Function<Object, ?> function) {
    }

    private final ConcurrentHashMap<String, Handler> handlers = new ConcurrentHashMap<>();
    private final String runId;
    private final PayloadSerializer serializer;

    QueryHandlers(String runId, PayloadSerializer serializer) {
        this.runId = runId;
        this.serializer = serializer;
    }

    void register(String name, Supplier<?> handler) {
        handlers.put(name, new Handler(Void.class, ignored -> handler.get()));
    }

    @SuppressWarnings("unchecked")
    <A> void register(String name, Class<A> argumentType, Function<? super A, ?> handler) {
        handlers.put(name, new Handler(argumentType, argument -> handler.apply((A) argument)));
    }

    /**
     * The answer of the handler of {@code name} as JSON, its argument passed through JSON too, as
     * both would be over the wire.
     */
    String answer(String name, @Nullable Object argument) {
        Handler handler = handlers.get(name);
        if (handler == null) {
            throw new QueryNotFoundException("Workflow '" + runId + "' has no query '" + name + "'; it has "
                    + handlers.keySet().stream().sorted().toList());
        }
        Object converted;
        try {
            converted = handler.argumentType() == Void.class ? null
                    : serializer.deserialize(serializer.serialize(argument), handler.argumentType());
        } catch (PayloadException unreadable) {
            throw InvalidInputException.of("argument", unreadable);
        }
        return serializer.serialize(handler.function().apply(converted));
    }
}
