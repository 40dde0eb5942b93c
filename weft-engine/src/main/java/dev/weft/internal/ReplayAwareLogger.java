package dev.weft.internal;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.CallerBoundaryAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The logger workflow code gets from its context: it passes every call on to the logger of the
 * same name, except while the workflow replays history it recorded before, when it is disabled at
 * every level. A line written once is therefore not written again by each replay.
 */
final class ReplayAwareLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Logger delegate;
    private final transient BooleanSupplier replaying;

    ReplayAwareLogger(Logger delegate, BooleanSupplier replaying) {
        this.name = delegate.getName();
        this.delegate = delegate;
        this.replaying = replaying;
    }

    private boolean live() {
        return !replaying.getAsBoolean();
    }

    @Override
    public boolean isTraceEnabled() {
        return live() && delegate.isTraceEnabled();
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return live() && delegate.isTraceEnabled(marker);
    }

    @Override
    public boolean isDebugEnabled() {
        return live() && delegate.isDebugEnabled();
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return live() && delegate.isDebugEnabled(marker);
    }

    @Override
    public boolean isInfoEnabled() {
        return live() && delegate.isInfoEnabled();
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return live() && delegate.isInfoEnabled(marker);
    }

    @Override
    public boolean isWarnEnabled() {
        return live() && delegate.isWarnEnabled();
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return live() && delegate.isWarnEnabled(marker);
    }

    @Override
    public boolean isErrorEnabled() {
        return live() && delegate.isErrorEnabled();
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return live() && delegate.isErrorEnabled(marker);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return ReplayAwareLogger.class.getName();
    }

    /** Reached only when the level is enabled (and so not during a replay): hands the call to the real logger. */
    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments, Throwable throwable) {
        LoggingEventBuilder event = delegate.atLevel(level);
        if (event instanceof CallerBoundaryAware boundary) {
            // Caller data (%line, %method), when a pattern asks for it, is then sought past this class, not past the builder.
            boundary.setCallerBoundary(getFullyQualifiedCallerName());
        }
        if (marker != null) {
            event = event.addMarker(marker);
        }
        if (throwable != null) {
            event = event.setCause(throwable);
        }
        if (arguments != null) {
            for (Object argument : arguments) {
                event = event.addArgument(argument);
            }
        }
        event.log(message);
    }
}
