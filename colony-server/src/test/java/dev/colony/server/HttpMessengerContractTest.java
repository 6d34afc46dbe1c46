package dev.colony.server;

import dev.colony.Colony;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerContract;

/**
 * The messenger contract with every message crossing a server over an embedded colony: {@link HttpMessenger}
 * sends, requests and broadcasts through {@code /v1/messages}, and its inboxes are the server's, read by
 * long-poll. Each messenger has a server and a colony of its own. Where the contract cannot hold over HTTP the
 * test is overridden by its HTTP counterpart (listed in docs/serve.md, "The contracts through HTTP").
 */
class HttpMessengerContractTest extends MessengerContract {
    /** The settings of the colony behind each server (embedded here). */
    Colony.Builder colony() {
        return Colony.builder();
    }

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        return new HttpMessenger(colony(), builder);
    }
}
