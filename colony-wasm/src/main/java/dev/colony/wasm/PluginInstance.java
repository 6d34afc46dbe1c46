package dev.colony.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;

/**
 * One instance of a plugin: its memory, its ABI v0 exports, its input area and its call deadline.
 *
 * <p>Single-threaded: a pool lends it to one caller at a time, so its fields are plain; only the
 * {@link CallDeadline} is shared with the watchdog.
 */
final class PluginInstance {
    final Instance instance;
    final Memory memory;
    final CallDeadline deadline = new CallDeadline();
    final ExportFunction filter;
    final ExportFunction transform;
    final ExportFunction score;
    final ExportFunction reason;
    final int initialPages;
    int input;
    int capacity;
    int flags;
    long calls;

    PluginInstance(Instance instance) {
        this.instance = instance;
        this.memory = instance.memory();
        this.initialPages = memory.pages();
        this.filter = export(instance, PluginKind.FILTER.export());
        this.transform = export(instance, PluginKind.TRANSFORM.export());
        this.score = export(instance, PluginKind.SCORE.export());
        this.reason = export(instance, "colony_reason");
    }

    private static ExportFunction export(Instance instance, String name) {
        var section = instance.module().exportSection();
        for (int i = 0; i < section.exportCount(); i++) {
            if (section.getExport(i).name().equals(name)) {
                return instance.export(name);
            }
        }
        return null;
    }

    /** Whether the instance should be replaced before its next call: grown memory or worn out. */
    boolean worn(long recycleAfterCalls) {
        return calls >= recycleAfterCalls || memory.pages() > initialPages;
    }
}
