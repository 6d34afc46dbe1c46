package dev.colony.messaging;

import static dev.colony.bus.BusTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the corpus in {@code src/test/resources/fuzz/cloudevents/}: the reported cases of issue 14 and
 * representative generated ones, one file per case, each listed in {@code expected.tsv} with the reason
 * the default codec must refuse it with.
 */
class CloudEventCorpusTest {
    private static final String DIRECTORY = "/fuzz/cloudevents/";

    static Map<String, String> expected() {
        Map<String, String> cases = new LinkedHashMap<>();
        String index = new String(read("expected.tsv"), StandardCharsets.UTF_8);
        for (String line : index.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] columns = line.split("\t", 2);
                cases.put(columns[0], columns[1]);
            }
        }
        return cases;
    }

    static Stream<Arguments> corpus() {
        return expected().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void decode_corpusCase_refusedWithTheExpectedReason(String file, String reason) {
        byte[] bytes = read(file);
        JsonMessageCodec codec = JsonMessageCodec.create();
        for (Class<?> type : new Class<?>[] {Object.class, RawJson.class, Map.class}) {
            assertThatThrownBy(() -> codec.decode(bytes, type), "%s as %s", file, type.getSimpleName())
                    .isExactlyInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining(reason)
                    .hasNoCause();
        }
    }

    @Test
    void corpus_everyFileListedAndEveryListedFilePresent() throws IOException, URISyntaxException {
        Path directory =
                Path.of(CloudEventCorpusTest.class.getResource(DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("expected.tsv")))
                    .containsExactlyInAnyOrderElementsOf(expected().keySet());
        }
    }

    @Test
    void deliverEncoded_wholeCorpus_eachAMalformedDeadLetterAndTheInboxLives() {
        try (Messenger messenger = Messenger.create()) {
            AgentId bob = AgentId.of("bob");
            List<Object> handled = new CopyOnWriteArrayList<>();
            messenger.open(bob).attach(m -> handled.add(m.payload()));
            Map<String, String> cases = expected();
            for (String file : cases.keySet()) {
                assertThat(messenger.deliverEncoded(bob, read(file))).isEqualTo(SendOutcome.DELIVERED);
            }
            messenger.deliverEncoded(
                    bob, messenger.codec().encode(Envelope.of(AgentId.of("alice"), bob, "t", "alive")));

            eventually().until(() -> handled.size() == 1);
            assertThat(handled).containsExactly("alive");
            List<DeadLetter> letters = messenger.deadLetters().drain();
            assertThat(letters).hasSize(cases.size());
            int i = 0;
            for (String reason : cases.values()) {
                assertThat(letters.get(i).reason()).isEqualTo(DeadLetter.Reason.MALFORMED);
                assertThat(letters.get(i++).detail()).contains(reason);
            }
        }
    }

    private static byte[] read(String file) {
        try (InputStream in = CloudEventCorpusTest.class.getResourceAsStream(DIRECTORY + file)) {
            assertThat(in).as("corpus file %s", file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
