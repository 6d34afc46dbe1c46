package dev.colony.server.auth;

import java.lang.System.Logger.Level;
import java.nio.file.Files;

/**
 * How the first admin token reaches the operator without a secret in any log (Jenkins'
 * {@code initialAdminPassword}): its value goes to {@code <dataDir>/initial-admin-token}, mode 0600, and
 * only that path is logged. While the file exists, each start logs a reminder to delete it.
 */
final class InitialAdmin {
    private static final System.Logger LOG = System.getLogger("dev.colony.server.auth");

    private InitialAdmin() {}

    /** Issues the admin token on the first start and logs where it is; on later starts, warns if the file stays. */
    static void announce(TokenStore store) {
        var issued = store.createInitialAdmin();
        if (issued.isPresent()) {
            LOG.log(
                    Level.INFO,
                    "first start: created admin token \"{0}\" (account {1}); its value is in {2} (mode 0600):"
                            + " read it, keep it somewhere safe, then delete the file",
                    issued.get().info().name(),
                    issued.get().info().account(),
                    store.initialAdminFile());
        } else if (Files.exists(store.initialAdminFile())) {
            LOG.log(
                    Level.WARNING,
                    "{0} still holds the first admin token''s value: delete it once the token is stored elsewhere"
                            + " (or revoke the token with `colony token revoke admin`)",
                    store.initialAdminFile());
        }
    }
}
