package example;

import dev.colony.Colony;
import dev.colony.bus.PublishResult;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.SendOutcome;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts an embedded colony, subscribes, publishes, sends a message to an agent's inbox and checks that the
 * event and the message arrived. Exits 0 when both did, 1 otherwise (with the reason on standard error).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Object> events = new ArrayBlockingQueue<>(16);
        BlockingQueue<Object> messages = new ArrayBlockingQueue<>(16);
        try (Colony colony = Colony.embedded()) {
            colony.bus().subscribe("orders.>", event -> events.add(event.payload()), SubscribeOptions.async());
            PublishResult published = colony.bus().publish("orders.new.42", "order 42");
            check(published.matched() == 1, "the publish matched " + published.matched() + " subscriptions");

            AgentId alice = AgentId.of("alice");
            AgentId bob = AgentId.of("bob");
            Inbox inbox = colony.messenger().open(bob);
            inbox.attach(message -> messages.add(message.payload()));
            SendOutcome sent = colony.messenger().send(Envelope.of(alice, bob, "greeting", "hello bob"));
            check(sent == SendOutcome.DELIVERED, "the send returned " + sent);

            // generous bounds: they only matter when something is broken
            Object event = events.poll(1, TimeUnit.MINUTES);
            check("order 42".equals(event), "the subscriber received " + event);
            Object message = messages.poll(1, TimeUnit.MINUTES);
            check("hello bob".equals(message), "bob's inbox received " + message);
        }
        System.out.println("consumer: event and message arrived");
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            System.err.println("consumer: FAILED: " + failure);
            System.exit(1);
        }
    }
}
