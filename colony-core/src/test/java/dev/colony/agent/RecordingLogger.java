package dev.colony.agent;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps every line it is given, at every level, for tests to read. */
final class RecordingLogger implements System.Logger {

    /** One logged line. */
    record Line(Level level, String message, Throwable thrown) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines at {@code level}, their messages only. */
    List<String> at(Level level) {
        return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
    }

    @Override
    public String getName() {
        return "dev.colony.agent";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(new Line(level, msg, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(new Line(level, params == null ? format : MessageFormat.format(format, params), null));
    }
}
