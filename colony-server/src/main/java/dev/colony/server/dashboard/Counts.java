package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.state.AgentRecord;
import dev.colony.state.AgentStatus;
import dev.colony.state.Task;
import dev.colony.state.TaskStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * One account's agents and tasks by status, counted at one moment.
 *
 * @param agents agents of the account by status (every status present)
 * @param tasks tasks of the account by status (every status present)
 */
record Counts(Map<AgentStatus, Integer> agents, Map<TaskStatus, Integer> tasks) {

    /** Counts the account's agents and tasks now: one pass over each. */
    static Counts of(Colony colony, Viewer viewer) {
        Map<AgentStatus, Integer> agents = new EnumMap<>(AgentStatus.class);
        for (AgentStatus s : AgentStatus.values()) {
            agents.put(s, 0);
        }
        for (AgentRecord r : colony.registry().select(r -> viewer.owns(r.id().value()))) {
            agents.merge(r.status(), 1, Integer::sum);
        }
        Map<TaskStatus, Integer> tasks = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            int n = 0;
            for (Task t : colony.tasks().byStatus(s)) {
                if (viewer.owns(t.id())) {
                    n++;
                }
            }
            tasks.put(s, n);
        }
        return new Counts(agents, tasks);
    }
}
