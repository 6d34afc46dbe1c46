package dev.colony.server;

import dev.colony.bus.OverflowPolicy;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.InboxOptions;
import dev.colony.messaging.Messenger;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inboxes this server holds for HTTP agents, by stored agent id. Opening an open inbox returns it
 * (idempotent); an inbox another part of the process opened is a 409.
 */
final class Inboxes implements AutoCloseable {
    /** The largest inbox an HTTP agent may ask for. */
    static final int MAX_CAPACITY = 65_536;

    private static final System.Logger LOG = System.getLogger("dev.colony.server");

    private final Messenger messenger;
    private final ConcurrentHashMap<AgentId, HttpInbox> open = new ConcurrentHashMap<>();

    Inboxes(Messenger messenger) {
        this.messenger = messenger;
    }

    HttpInbox open(AgentId agent, Set<String> roles, int capacity) {
        return open.compute(agent, (id, existing) -> {
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            try {
                // the Colony inbox behind the buffer takes as many: a burst of concurrent senders waits there
                // while its one thread moves messages into the buffer (with 16, a burst of 17 to an empty
                // inbox could be MAILBOX_FULL)
                InboxOptions options = InboxOptions.defaults()
                        .withCapacity(capacity)
                        .withOverflow(OverflowPolicy.FAIL)
                        .withRoles(roles.toArray(String[]::new));
                return new HttpInbox(messenger.open(id, options), messenger, capacity);
            } catch (IllegalStateException e) {
                throw Problem.conflict("INBOX_OPEN", "an inbox for this agent is open elsewhere: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest(e.getMessage());
            }
        });
    }

    Optional<HttpInbox> get(AgentId agent) {
        return Optional.ofNullable(open.get(agent)).filter(inbox -> !inbox.isClosed());
    }

    boolean close(AgentId agent) {
        HttpInbox inbox = open.remove(agent);
        if (inbox == null) {
            return false;
        }
        inbox.close();
        return true;
    }

    /**
     * Closes every inbox (the server is stopping); the messages their readers did not acknowledge become dead
     * letters of the colony's messenger, and one WARNING line counts them, since the process may end with them.
     */
    @Override
    public void close() {
        int letters = 0;
        for (HttpInbox inbox : open.values()) {
            letters += inbox.shut();
        }
        open.clear();
        if (letters > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "stopping: " + letters + " messages that HTTP readers had not acknowledged became dead letters"
                            + " (RECIPIENT_CLOSED)");
        }
    }
}
