package dev.colony.redis;

import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The messenger contract, unchanged, against one Redis messenger node on a real redis-server. */
class RedisMessengerContractTest extends MessengerContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();
    private static RedisServer server;
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        RedisLink link = RedisLink.open(server.target("contract" + SWARMS.incrementAndGet()));
        links.add(link);
        return RedisMessenger.open(link, builder);
    }

    @AfterEach
    void closeLinks() {
        // runs after the contract's own @AfterEach closed the messengers (subclass methods run first in
        // JUnit, so close defensively: closing a closed link is harmless, the messengers close themselves)
        links.forEach(RedisLink::close);
        links.clear();
    }
}
