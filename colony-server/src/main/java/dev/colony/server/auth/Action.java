package dev.colony.server.auth;

/**
 * What a request does, checked by {@link Guard#authorize}. Each action names its resource the way the
 * permission patterns do: the resource is appended to the action's prefix, so a permission
 * {@code task.claim.render.>} covers {@code TASK_CLAIM} of the task type {@code render.video}.
 */
public enum Action {
    /** Publish an event; the resource is the subject. */
    PUBLISH("pub"),
    /** Subscribe to events; the resource is the subject pattern. */
    SUBSCRIBE("sub"),
    /** Submit a task; the resource is the task type. */
    TASK_SUBMIT("task.submit"),
    /** Claim, renew, complete or fail a task; the resource is the task type. */
    TASK_CLAIM("task.claim"),
    /** Read shared memory; the resource is {@code <namespace>.<key>}. */
    MEMORY_READ("memory.read"),
    /** Write or delete shared memory; the resource is {@code <namespace>.<key>}. */
    MEMORY_WRITE("memory.write"),
    /** Campaign, renew or resign in a leader group (or a named lock); the resource is the group. */
    LEADER("leader"),
    /** Send a message to an agent's inbox; the resource is the recipient's agent id. */
    INBOX_SEND("inbox.send"),
    /** Act as an agent: register, heartbeat, read its inbox; the resource is the agent id. */
    AGENT("agent"),
    /** Operator actions (snapshots, tokens, requeue, drop); the resource names the operation. */
    ADMIN("admin");

    private final String prefix;

    Action(String prefix) {
        this.prefix = prefix;
    }

    /** The first tokens of this action's permission subjects, for example {@code task.claim}. */
    public String prefix() {
        return prefix;
    }
}
