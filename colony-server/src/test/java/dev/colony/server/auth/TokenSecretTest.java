package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretTest {
    @Test
    void newToken_manyTokens_areWellFormedDistinctAndCarryTheirId() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = TokenSecret.newId();
            String token = TokenSecret.newToken(id);
            assertThat(token).matches("colony_[0-9a-f]{16}_[A-Za-z0-9]{43}");
            assertThat(TokenSecret.idOf(token)).contains(id);
            tokens.add(token.substring(24));
        }
        assertThat(tokens).hasSize(1_000);
    }

    @Test
    void idOf_malformedTokens_isEmpty() {
        String good = TokenSecret.newToken(TokenSecret.newId());
        assertThat(TokenSecret.idOf(good.substring(1))).isEmpty();
        assertThat(TokenSecret.idOf(good + "A")).isEmpty();
        assertThat(TokenSecret.idOf(good.replace("colony_", "colonY_"))).isEmpty();
        assertThat(TokenSecret.idOf(good.substring(0, 66) + "-")).isEmpty();
        assertThat(TokenSecret.idOf("colony_" + "G".repeat(16) + good.substring(23)))
                .isEmpty();
        assertThat(TokenSecret.idOf("")).isEmpty();
    }
}
