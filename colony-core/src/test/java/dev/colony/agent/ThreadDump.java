package dev.colony.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live threads, virtual ones included, counted from a JSON thread dump ({@link Thread#getAllStackTraces}
 * does not list virtual threads). Reflective because the tests are compiled into dev.colony.core, which
 * does not read jdk.management; they run on the class path, where it is readable.
 */
public final class ThreadDump {
    private ThreadDump() {}

    /** How many live threads have a name that starts with {@code colony-} and contains {@code part}. */
    public static int threadsNamedWith(String part) {
        return threadsNamed("colony-[^\"]*" + Pattern.quote(part));
    }

    /** How many live threads have a name that starts with a match of {@code regex}. */
    public static int threadsNamed(String regex) {
        try {
            Path file = Files.createTempFile("threads", ".json");
            Files.delete(file);
            dump(file);
            String dump = Files.readString(file);
            Files.delete(file);
            Matcher names = Pattern.compile("\"name\": \"" + regex).matcher(dump);
            int count = 0;
            while (names.find()) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void dump(Path file) {
        try {
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<? extends Enum> format = (Class<? extends Enum>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object diagnostics = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBean", Class.class)
                    .invoke(null, bean);
            bean.getMethod("dumpThreads", String.class, format)
                    .invoke(diagnostics, file.toString(), Enum.valueOf(format, "JSON"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot dump threads", e);
        }
    }
}
