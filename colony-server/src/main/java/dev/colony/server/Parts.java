package dev.colony.server;

import dev.colony.Colony;
import dev.colony.alert.Alerts;

/**
 * What the route groups share: the colony, the limits, the long-poll signal of the task queue, the SSE
 * replay ring, the HTTP inboxes, and the alerts evaluator (null when the server has none).
 */
record Parts(Colony colony, ServerLimits limits, TaskSignal signal, EventRing ring, Inboxes inboxes, Alerts alerts) {}
