package dev.colony;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one {@link System.Logger} writes, while open. Without a logging binding on the class path,
 * {@code System.getLogger} writes to {@code java.util.logging}; this attaches a handler to the logger of that
 * name and formats each record's message with its parameters, so tests can assert on the line a user sees.
 */
public final class LogCapture implements AutoCloseable {

    /** One captured line: its level and its formatted message. */
    public record Line(Level level, String message) {}

    private final Logger logger;
    private final Level previousLevel;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(record.getLevel(), new java.util.logging.SimpleFormatter().formatMessage(record)));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        this.previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Starts collecting what the logger {@code name} writes. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** The lines so far whose message contains {@code text}, in order. */
    public List<Line> containing(String text) {
        return lines.stream().filter(line -> line.message().contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
