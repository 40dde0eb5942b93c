package dev.weft.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines one logger category writes while a test runs, at the level the test sets; close it to restore the logger. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String category, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(category);
        this.previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
    }

    /** Captures what {@code category} writes at {@code level} and above. */
    public static LogCapture of(String category, Level level) {
        return new LogCapture(category, level);
    }

    /** The formatted messages written at exactly {@code level}, in order. */
    public List<String> messages(Level level) {
        return events().stream().filter(event -> event.getLevel().equals(level)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Every event captured so far. */
    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
