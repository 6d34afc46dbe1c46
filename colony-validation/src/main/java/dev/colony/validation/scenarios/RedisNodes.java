package dev.colony.validation.scenarios;

import java.util.Arrays;

/** Where the Redis scenarios run node B (ADR 0058): in a child JVM (the default) or in this one. */
public enum RedisNodes {
    /** Nodes A and B in this JVM, each with its own Redis connections: for comparison. */
    ONE_JVM("one-jvm"),
    /** Node B in a child JVM the harness starts: the goals are stated between two JVMs. */
    TWO_JVMS("two-jvms");

    private final String flag;

    RedisNodes(String flag) {
        this.flag = flag;
    }

    /** The value of {@code --redis-nodes}, also the {@code nodes} field of the reports. */
    public String flag() {
        return flag;
    }

    /** The mode named {@code flag}; a clear message quoting the bad value when there is none. */
    public static RedisNodes parse(String flag) {
        return Arrays.stream(values())
                .filter(n -> n.flag.equals(flag))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("--redis-nodes must be one-jvm or two-jvms, got '" + flag + "'"));
    }
}
