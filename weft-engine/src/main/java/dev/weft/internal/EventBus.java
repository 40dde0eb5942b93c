package dev.weft.internal;

import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Delivers events to listeners; a listener that throws is logged and never disturbs a run. */
final class EventBus {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

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
                LOG.log(System.Logger.Level.WARNING, "Engine listener " + listener + " failed on " + event, e);
            }
        }
    }
}
