package dev.weft.event;

/**
 * Receives engine events. Called on the engine's threads: return quickly. An exception thrown
 * here is logged and otherwise ignored; it never affects a run.
 */
@FunctionalInterface
public interface EngineListener {

    void onEvent(EngineEvent event);

    /** A listener that receives only events of {@code type}. */
    static <E extends EngineEvent> EngineListener of(Class<E> type, java.util.function.Consumer<? super E> consumer) {
        return event -> {
            if (type.isInstance(event)) {
                consumer.accept(type.cast(event));
            }
        };
    }
}
