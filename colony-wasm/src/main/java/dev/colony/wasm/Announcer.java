package dev.colony.wasm;

import dev.colony.bus.EventBus;
import java.time.InstantSource;

/**
 * Announces deploys and alerts on the bus: {@code colony.plugin.<name>.deployed} ({@link Deployment}),
 * {@code colony.plugin.<name>.failed} ({@link DeployFailure}) and {@code colony.alert.plugin.<name>}
 * ({@link PluginAlert}). Without a bus it only logs the alerts. A publish that fails is logged and never
 * fails the deploy or the call that triggered it.
 */
final class Announcer {
    private static final System.Logger LOG = System.getLogger("dev.colony.wasm");

    private final EventBus bus;
    private final InstantSource clock;

    Announcer(EventBus bus, InstantSource clock) {
        this.bus = bus;
        this.clock = clock;
    }

    void deployed(Deployment deployment) {
        publish("colony.plugin." + deployment.name() + ".deployed", deployment);
    }

    void failed(DeployFailure failure) {
        publish("colony.plugin." + failure.name() + ".failed", failure);
    }

    void quarantined(PluginVersion version) {
        alert(new PluginAlert(
                version.name,
                version.version(),
                PluginAlert.Kind.QUARANTINED,
                "plugin " + version.name + " " + version.version() + " failed "
                        + version.deployment.options().limits().quarantineAfter()
                        + " calls in a row and is quarantined until it is deployed again",
                clock.instant()));
    }

    void lowHitRate(String name, String version, double rate) {
        alert(new PluginAlert(
                name,
                version,
                PluginAlert.Kind.CACHE_HIT_RATE_LOW,
                String.format(
                        java.util.Locale.ROOT,
                        "decision cache hit rate %.1f%% over the last %d lookups, below %.0f%%",
                        rate * 100,
                        DecisionCache.WINDOW,
                        DecisionCache.ALERT_BELOW * 100),
                clock.instant()));
    }

    private void alert(PluginAlert alert) {
        LOG.log(System.Logger.Level.WARNING, "plugin alert: " + alert.detail());
        publish("colony.alert.plugin." + alert.plugin(), alert);
    }

    private void publish(String subject, Object payload) {
        if (bus == null) {
            return;
        }
        try {
            bus.publish(subject, payload);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not announce " + subject + ": " + e);
        }
    }
}
