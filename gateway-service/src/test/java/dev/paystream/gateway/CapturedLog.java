package dev.paystream.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * What the gateway logs while a test runs, from every thread: one line per event at the levels the
 * loggers let through (INFO and above by default), with the class of a logged throwable, if any.
 */
final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog() {
    }

    static CapturedLog capture() {
        CapturedLog log = new CapturedLog();
        log.setName("captured-log");
        log.start();
        root().addAppender(log);
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String thrown = event.getThrowableProxy() == null ? "" : " thrown=" + event.getThrowableProxy().getClassName();
        lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage() + thrown);
    }

    /** Every line so far, one per event, as {@code LEVEL logger - message [thrown=class]}. */
    String lines() {
        return lines.stream().collect(Collectors.joining("\n"));
    }

    /** The lines at {@code level} or above. */
    List<String> linesAtLeast(Level level) {
        return lines.stream().filter(line -> Level.toLevel(line.substring(0, line.indexOf(' '))).isGreaterOrEqual(level)).toList();
    }

    boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
