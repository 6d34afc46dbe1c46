package dev.colony.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Who a {@link Messenger#broadcast broadcast} goes to: the agents with a role, whose id matches, or all. */
public sealed interface Audience {

    /** Whether the agent with {@code id} and {@code roles} belongs to this audience. */
    boolean includes(AgentId id, Set<String> roles);

    /**
     * The agents of {@code agents} (id to roles, in the map's order) that this audience includes, leaving
     * out {@code sender} unless {@code includeSender}: whom a broadcast goes to, the same on every backend.
     */
    default List<AgentId> members(Map<AgentId, Set<String>> agents, AgentId sender, boolean includeSender) {
        List<AgentId> members = new ArrayList<>();
        agents.forEach((id, roles) -> {
            if ((includeSender || !id.equals(sender)) && includes(id, roles)) {
                members.add(id);
            }
        });
        return members;
    }

    /** Every agent that has the role {@code role}. */
    static Audience role(String role) {
        return new Role(role);
    }

    /**
     * Every agent whose whole id matches the regular expression {@code regex}.
     *
     * @throws IllegalArgumentException if {@code regex} is not a valid regular expression
     */
    static Audience idsMatching(String regex) {
        return new IdsMatching(regex);
    }

    /** Every agent with an inbox. */
    static Audience everyone() {
        return Everyone.INSTANCE;
    }

    /** The agents with {@code role}. */
    record Role(String role) implements Audience {
        public Role {
            Roles.check(role);
        }

        @Override
        public boolean includes(AgentId id, Set<String> roles) {
            return roles.contains(role);
        }
    }

    /** The agents whose whole id matches a regular expression (as {@link java.util.regex.Matcher#matches()}). */
    final class IdsMatching implements Audience {
        private final Pattern pattern;

        private IdsMatching(String regex) {
            Objects.requireNonNull(regex, "regex");
            try {
                this.pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "invalid id pattern \"" + regex + "\": " + e.getDescription() + " at index " + e.getIndex());
            }
        }

        /** The regular expression. */
        public String regex() {
            return pattern.pattern();
        }

        @Override
        public boolean includes(AgentId id, Set<String> roles) {
            return pattern.matcher(id.value()).matches();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IdsMatching that && regex().equals(that.regex());
        }

        @Override
        public int hashCode() {
            return regex().hashCode();
        }

        @Override
        public String toString() {
            return "IdsMatching[" + regex() + "]";
        }
    }

    /** All agents. */
    enum Everyone implements Audience {
        INSTANCE;

        @Override
        public boolean includes(AgentId id, Set<String> roles) {
            return true;
        }
    }
}
