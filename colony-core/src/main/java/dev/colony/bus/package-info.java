/**
 * The event bus: publish events on subjects, subscribe with wildcard or regex patterns.
 *
 * <p>{@link dev.colony.bus.EventBus} is the interface (its Javadoc states delivery, ordering, overflow and
 * failure semantics); {@link dev.colony.bus.Subject} is a validated subject,
 * {@link dev.colony.bus.SubjectPattern} a NATS-style wildcard or a regex, {@link dev.colony.bus.Event} what is
 * published, {@link dev.colony.bus.SubscribeOptions} how a subscription receives events (DIRECT or ASYNC
 * {@link dev.colony.bus.DeliveryMode}, mailbox capacity, {@link dev.colony.bus.OverflowPolicy}), and
 * {@link dev.colony.bus.Subscription} the handle that stops delivery. {@link dev.colony.bus.PublishResult},
 * {@link dev.colony.bus.BusMetrics} and {@link dev.colony.bus.SubscriptionStats} report what happened.
 * Decisions: ADRs 0003 to 0005.
 */
package dev.colony.bus;
