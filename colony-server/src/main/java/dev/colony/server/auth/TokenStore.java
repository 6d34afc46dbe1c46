package dev.colony.server.auth;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens of a data directory, kept in {@code tokens.json} as SHA-256 hashes (see {@link TokenFile}):
 * what {@code colony token create|list|revoke} changes and what the {@link Guard} reads.
 *
 * <p>Every change takes the store's file lock, reads the file afresh, and replaces it atomically, so the
 * server and any number of {@code colony token} processes may change it at once without losing a change;
 * a running server sees the new file within its reload interval. A malformed file is never overwritten:
 * every operation refuses it with a {@link TokenFileException} naming the file and the problem.
 */
public final class TokenStore {
    private final TokenFile file;
    private final InstantSource clock;

    private TokenStore(Path dataDir, InstantSource clock) {
        this.file = new TokenFile(Objects.requireNonNull(dataDir, "dataDir"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The store of {@code dataDir}, whose file may not exist yet; reads nothing until asked. */
    public static TokenStore of(Path dataDir) {
        return new TokenStore(dataDir, InstantSource.system());
    }

    /** The same with a clock for creation and expiry times (tests). */
    public static TokenStore of(Path dataDir, InstantSource clock) {
        return new TokenStore(dataDir, clock);
    }

    /** The tokens file: {@code <dataDir>/tokens.json}. */
    public Path file() {
        return file.tokens();
    }

    /** Whether the tokens file exists. */
    public boolean exists() {
        return file.stamp().isPresent();
    }

    /**
     * Issues a token: stores its hash and returns its value, which is never stored and cannot be shown
     * again. Creates the file (mode 0600) if there is none.
     *
     * @throws IllegalArgumentException if an active token already has this name
     * @throws TokenFileException if the file is malformed, unreadable or too widely readable
     */
    public IssuedToken create(TokenSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try (TokenFile.Lock _ = file.lock()) {
            List<StoredToken> tokens = new ArrayList<>(file.read().orElse(List.of()));
            return add(tokens, spec);
        }
    }

    /**
     * On the first start, when there is no tokens file, issues an admin token and writes its value to
     * {@code initial-admin-token} (mode 0600) for the operator; otherwise does nothing.
     *
     * @return the new admin token, or empty when the file already existed
     */
    public Optional<IssuedToken> createInitialAdmin() {
        try (TokenFile.Lock _ = file.lock()) {
            if (file.read().isPresent()) {
                return Optional.empty();
            }
            List<StoredToken> tokens = new ArrayList<>();
            TokenSpec spec = TokenSpec.admin("admin", "admin");
            String id = TokenSecret.newId();
            String secret = TokenSecret.newToken(id);
            // the value first: if the tokens file cannot be written, the next start issues a new one
            file.writeInitialAdmin(secret);
            tokens.add(stored(id, secret, spec));
            file.write(tokens);
            return Optional.of(new IssuedToken(secret, tokens.getFirst().info()));
        }
    }

    /** The file holding the first admin token's value: {@code <dataDir>/initial-admin-token}. */
    public Path initialAdminFile() {
        return file.initialAdmin();
    }

    /** Every token, revoked and expired ones included, oldest first; an empty list when there is no file. */
    public List<TokenInfo> list() {
        return file.read().orElse(List.of()).stream().map(StoredToken::info).toList();
    }

    /**
     * Revokes the active token of this name; it stays listed as revoked.
     *
     * @return true if it was revoked, false if no active token has this name
     */
    public boolean revoke(String name) {
        Names.name("token name", name);
        try (TokenFile.Lock _ = file.lock()) {
            List<StoredToken> tokens = new ArrayList<>(file.read().orElse(List.of()));
            for (int i = 0; i < tokens.size(); i++) {
                StoredToken t = tokens.get(i);
                if (!t.info().revoked() && t.info().name().equals(name)) {
                    tokens.set(i, new StoredToken(t.info().revoke(), t.sha256()));
                    file.write(tokens);
                    return true;
                }
            }
            return false;
        }
    }

    /** The file's tokens with their hashes, for the guard; empty when there is no file. */
    Optional<List<StoredToken>> read() {
        return file.read();
    }

    TokenFile tokenFile() {
        return file;
    }

    private IssuedToken add(List<StoredToken> tokens, TokenSpec spec) {
        for (StoredToken t : tokens) {
            if (!t.info().revoked() && t.info().name().equals(spec.name())) {
                throw new IllegalArgumentException("a token named \"" + spec.name()
                        + "\" already exists; revoke it first or choose another --name");
            }
        }
        String id = TokenSecret.newId();
        while (hasId(tokens, id)) { // 64 random bits: a clash is never expected, but would be a silent merge
            id = TokenSecret.newId();
        }
        String secret = TokenSecret.newToken(id);
        StoredToken token = stored(id, secret, spec);
        tokens.add(token);
        file.write(tokens);
        return new IssuedToken(secret, token.info());
    }

    private static boolean hasId(List<StoredToken> tokens, String id) {
        return tokens.stream().anyMatch(t -> t.info().id().equals(id));
    }

    private StoredToken stored(String id, String secret, TokenSpec spec) {
        Instant now = clock.instant();
        TokenInfo info = new TokenInfo(
                id,
                spec.name(),
                spec.account(),
                spec.admin(),
                spec.allow(),
                spec.deny(),
                spec.agent(),
                now,
                spec.lifetime().map(now::plus),
                false);
        return new StoredToken(info, TokenSecret.sha256(secret));
    }
}
