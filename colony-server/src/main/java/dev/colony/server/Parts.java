package dev.colony.server;

import dev.colony.Colony;
import dev.colony.alert.Alerts;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the route groups share: the colony, the limits, the long-poll signal of the task queue, the SSE
 * replay ring, the HTTP inboxes, the alerts evaluator (null when the server has none), and the count of tasks
 * completed through this server (HTTP and MCP), for its row in the dashboard's per-node table.
 */
record Parts(
        Colony colony,
        ServerLimits limits,
        TaskSignal signal,
        EventRing ring,
        Inboxes inboxes,
        Alerts alerts,
        LongAdder completed) {}
