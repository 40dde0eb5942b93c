package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners; a listener that throws is logged and never disturbs a run. */
final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();

    public void add(EngineListener listener) {
        listeners.add(listener);
    }

    public void remove(EngineListener listener) {
        listeners.remove(listener);
    }

    public void emit(EngineEvent event) {
        for (EngineListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Engine listener {} failed on {}", listener, event, e);
            }
        }
    }
}
