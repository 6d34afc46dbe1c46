package dev.colony.wasm;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The WAT fixtures under src/test/resources/wat, compiled to wasm with Chicory's wat2wasm (once each). */
public final class Wat {
    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>();

    private Wat() {}

    /** The module {@code wat/<name>.wat}, compiled. */
    public static byte[] wasm(String name) {
        return COMPILED.computeIfAbsent(name, Wat::compile).clone();
    }

    /** The text of {@code wat/<name>.wat}. */
    public static String text(String name) {
        try (InputStream in = Wat.class.getResourceAsStream("/wat/" + name + ".wat")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture wat/" + name + ".wat");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] compile(String name) {
        return Wat2Wasm.parse(text(name));
    }
}
