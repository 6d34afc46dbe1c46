package dev.colony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServeCommandTest {

    @Test
    void serve_nonLoopbackBindWithoutTls_isAUsageError() {
        Captured run = Captured.capture("serve", "--bind", "0.0.0.0", "--port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .contains("colony serve: --bind 0.0.0.0 is not loopback")
                .contains("--allow-insecure-bind");
    }

    @Test
    void serve_certWithoutKey_isAUsageError() {
        Captured run = Captured.capture("serve", "--tls-cert", "cert.pem");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--tls-cert and --tls-key go together");
    }

    @Test
    void serve_badPortOrBodyLimit_isAUsageError() {
        assertThat(Captured.capture("serve", "--port", "70000").err())
                .contains("--port must be from 0 to 65535, got 70000");
        assertThat(Captured.capture("serve", "--max-body", "12").err())
                .contains("--max-body")
                .contains("12");
    }

    @Test
    void serve_unreadablePem_isAUsageErrorNamingTheFile() {
        Captured run =
                Captured.capture("serve", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("/nonexistent/cert.pem");
    }

    @Test
    void serve_swarmInTheRedisPathOrBadSwarm_isAUsageError() {
        Captured path = Captured.capture("serve", "--redis", "redis://127.0.0.1:1/s1");
        Captured swarm = Captured.capture("serve", "--redis", "redis://127.0.0.1:1", "--swarm", "bad swarm!");

        assertThat(path.code()).isEqualTo(2);
        assertThat(path.err()).contains("--redis").contains("--swarm");
        assertThat(swarm.code()).isEqualTo(2);
        assertThat(swarm.err()).contains("--swarm must be 1 to 64");
    }
}
