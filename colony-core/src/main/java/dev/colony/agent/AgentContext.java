package dev.colony.agent;

import dev.colony.bus.EventBus;
import dev.colony.bus.EventHandler;
import dev.colony.bus.PublishResult;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Messenger;
import dev.colony.messaging.SendOutcome;
import dev.colony.state.AgentRegistry;
import dev.colony.state.LeaderElection;
import dev.colony.state.SharedMemory;
import dev.colony.state.TaskQueue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Behavior} sees of its agent and its colony: the colony's parts, and shortcuts that send
 * as this agent. Thread-safe.
 */
public interface AgentContext {

    /** This agent's id. */
    AgentId id();

    /** This agent's spec. */
    AgentSpec spec();

    EventBus bus();

    Messenger messenger();

    TaskQueue tasks();

    LeaderElection leaders();

    SharedMemory memory();

    AgentRegistry registry();

    /** Sends {@code payload} from this agent to {@code to}, as a message of type {@code type}. */
    SendOutcome send(AgentId to, String type, Object payload);

    /** Sends a request from this agent to {@code to}; see {@link Messenger#request}. */
    CompletableFuture<Envelope> request(AgentId to, String type, Object payload, Duration timeout);

    /** Answers {@code request}; see {@link Messenger#reply(Envelope, Object)}. */
    SendOutcome reply(Envelope request, Object payload);

    /** Publishes {@code payload} on the bus under {@code subject}. */
    PublishResult publish(String subject, Object payload);

    /**
     * Subscribes on the bus; the subscription is closed when the agent stops, fails or restarts. The
     * handler runs on the bus's threads, not the agent's: it may run concurrently with the behavior. After
     * the agent has terminated, the subscription is returned already closed.
     */
    Subscription subscribe(String pattern, EventHandler handler);

    /** Asks this agent to stop after the current message; returns at once. */
    void stop();
}
