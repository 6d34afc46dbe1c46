package dev.colony.redis;

import dev.colony.messaging.Messenger;
import dev.colony.messaging.MessengerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The messenger contract, unchanged, against one Redis messenger node on a real redis-redis.server(). */
class RedisMessengerContractTest extends MessengerContract {
    private static final AtomicInteger SWARMS = new AtomicInteger();

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<RedisLink> links = new ArrayList<>();

    @Override
    protected Messenger newMessenger(Messenger.Builder builder) {
        RedisLink link = RedisLink.open(redis.server().target("contract" + SWARMS.incrementAndGet()));
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
