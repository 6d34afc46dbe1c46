package dev.colony.validation.scenarios;

import dev.colony.Colony;

/**
 * Node B in this JVM: its own colony node (its own Redis connections) and {@link NodeBWork} called directly,
 * so the one-JVM mode runs the very same receiving code as the child JVM.
 */
final class SameJvmNodeB implements NodeB {
    private final Colony node;
    private final NodeBWork work;
    private boolean closed;

    SameJvmNodeB(Colony node) {
        this.node = node;
        this.work = new NodeBWork(node);
    }

    @Override
    public NodeBReply call(String command, int timeoutSeconds) {
        if (closed) {
            throw new IllegalStateException("node B is closed");
        }
        NodeBReply reply = work.handle(command);
        if (reply.error() != null) {
            throw new IllegalStateException("node B (this JVM): " + reply.error());
        }
        return reply;
    }

    @Override
    public RedisNodes nodes() {
        return RedisNodes.ONE_JVM;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            work.close();
        } finally {
            node.close();
        }
    }
}
