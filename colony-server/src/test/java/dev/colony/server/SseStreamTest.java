package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The coalescing SSE stream (ADR 0056): batches, one flush per batch, the gap policy and closing. */
class SseStreamTest {
    /** A sink that records what each flush carried. */
    private static final class Flushes extends OutputStream {
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        final List<String> flushed = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            current.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            current.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (current.size() > 0) {
                flushed.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
        }

        synchronized List<String> flushed() {
            return List.copyOf(flushed);
        }
    }

    private static byte[] data(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pump_framesQueuedBeforeIt_writesThemAllInOneFlush() throws IOException {
        Flushes sink = new Flushes();
        SseStream stream = new SseStream(sink, 16);
        for (int i = 0; i < 5; i++) {
            assertThat(stream.offer(SseStream.frame("e-" + i, "message", data(i)), null))
                    .isTrue();
        }
        stream.close();

        stream.pump(() -> true);

        assertThat(sink.flushed()).hasSize(1);
        String batch = sink.flushed().getFirst();
        for (int i = 0; i < 5; i++) {
            assertThat(batch).contains("id: e-" + i + "\nevent: message\ndata: {\"n\":" + i + "}\n\n");
        }
        assertThat(batch.indexOf("e-0")).isLessThan(batch.indexOf("e-4"));
    }

    @Test
    void offer_fullBuffer_dropsThisAndEveryLaterFrame_thenPumpWritesHeldFramesAndOneGap() throws IOException {
        Flushes sink = new Flushes();
        SseStream stream = new SseStream(sink, 2);
        assertThat(stream.offer(null, "message", data(1))).isTrue();
        assertThat(stream.offer(null, "message", data(2))).isTrue();
        assertThat(stream.offer(null, "message", data(3))).isFalse();
        assertThat(stream.offer(null, "message", data(4))).isFalse();

        stream.pump(() -> true); // returns by itself after the gap

        String all = String.join("", sink.flushed());
        assertThat(all).contains("{\"n\":1}", "{\"n\":2}").doesNotContain("{\"n\":3}", "{\"n\":4}");
        assertThat(all)
                .endsWith("event: gap\ndata: {\"dropped\":2,"
                        + "\"detail\":\"this connection fell behind; reconnect with Last-Event-ID\"}\n\n");
        assertThat(stream.dropped()).isEqualTo(2);
    }

    @Test
    void offer_afterClose_isRefusedAndCounted() throws IOException {
        Flushes sink = new Flushes();
        SseStream stream = new SseStream(sink, 8);
        stream.close();
        stream.close(); // idempotent

        assertThat(stream.offer(null, "message", data(1))).isFalse();
        stream.pump(() -> true);

        assertThat(String.join("", sink.flushed())).doesNotContain("{\"n\":1}");
    }

    @Test
    void pump_framesFromAnotherThreadWhilePumping_writesEveryFrameOnceInOrder() throws Exception {
        Flushes sink = new Flushes();
        int frames = 5_000;
        SseStream stream = new SseStream(sink, frames); // room for all: this test is about batching, not gaps
        CountDownLatch pumped = new CountDownLatch(1);
        Thread pump = Thread.ofVirtual().start(() -> {
            try {
                stream.pump(() -> true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                pumped.countDown();
            }
        });
        for (int i = 0; i < frames; i++) {
            assertThat(stream.offer(SseStream.frame(Integer.toString(i), "message", data(i)), null))
                    .isTrue();
        }
        stream.close();
        assertThat(pumped.await(60, TimeUnit.SECONDS)).isTrue();
        pump.join();

        String all = String.join("", sink.flushed());
        assertThat(all.split("event: message\n", -1)).hasSize(frames + 1);
        int from = 0;
        for (int i = 0; i < frames; i++) {
            int at = all.indexOf("id: " + i + "\nevent: message\ndata: {\"n\":" + i + "}\n\n", from);
            assertThat(at).as("frame %d after frame %d", i, i - 1).isGreaterThanOrEqualTo(from);
            from = at + 1;
        }
        assertThat(stream.dropped()).isZero();
    }

    @Test
    void pump_manyStreamsSharingAPace_everyStreamGetsEveryFrameOnceInOrderThenCountsItselfIdle() throws Exception {
        long seed = 78L;
        System.out.println("SseStreamTest seed " + seed);
        Random random = new Random(seed);
        int streams = 50;
        int frames = 2_000;
        SsePace pace = new SsePace(1_000); // 50 busy streams: a 50 ms pace, the longest
        List<Flushes> sinks = new ArrayList<>();
        List<SseStream> all = new ArrayList<>();
        CountDownLatch pumped = new CountDownLatch(streams);
        for (int s = 0; s < streams; s++) {
            Flushes sink = new Flushes();
            SseStream stream = new SseStream(sink, frames, null, pace); // room for all: no gaps here
            sinks.add(sink);
            all.add(stream);
            Thread.ofVirtual().start(() -> {
                try {
                    stream.pump(() -> true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    pumped.countDown();
                }
            });
        }
        for (int i = 0; i < frames; i++) {
            byte[] frame = SseStream.frame(Integer.toString(i), "message", data(i)); // one array for every stream
            for (SseStream stream : all) {
                assertThat(stream.offer(frame, null)).isTrue();
            }
            if (random.nextInt(100) == 0) {
                Thread.sleep(1); // let some pumps write partial batches, lingering or not
            }
        }
        all.forEach(SseStream::close);
        assertThat(pumped.await(60, TimeUnit.SECONDS)).isTrue();

        for (int s = 0; s < streams; s++) {
            String written = String.join("", sinks.get(s).flushed());
            assertThat(written.split("event: message\n", -1)).as("stream %d", s).hasSize(frames + 1);
            int from = 0;
            for (int i = 0; i < frames; i++) {
                int at = written.indexOf("id: " + i + "\nevent: message\ndata: {\"n\":" + i + "}\n\n", from);
                assertThat(at)
                        .as("stream %d: frame %d after frame %d", s, i, i - 1)
                        .isGreaterThanOrEqualTo(from);
                from = at + 1;
            }
            assertThat(all.get(s).dropped()).isZero();
        }
        assertThat(pace.busyStreams()).isZero();
    }

    @Test
    void offer_burstsIntoALingeringStream_everyFrameWrittenInOrderOrCountedInTheOneGap() throws Exception {
        long seed = 780L;
        System.out.println("SseStreamTest seed " + seed);
        Random random = new Random(seed);
        Flushes sink = new Flushes();
        SseStream stream = new SseStream(sink, 16, null, new SsePace(1)); // one busy stream: the 50 ms pace
        CountDownLatch pumped = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                stream.pump(() -> true); // ends by itself after a gap, or at close
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                pumped.countDown();
            }
        });
        int offered = 0;
        int accepted = 0;
        for (int burst = 0; burst < 50 && pumped.getCount() > 0; burst++) {
            int size = 1 + random.nextInt(24); // some bursts overflow the 16 frames, most do not
            for (int i = 0; i < size; i++, offered++) {
                accepted += stream.offer(SseStream.frame(Integer.toString(offered), "message", data(offered)), null)
                        ? 1
                        : 0;
            }
            Thread.sleep(random.nextInt(3));
        }
        stream.close();
        assertThat(pumped.await(60, TimeUnit.SECONDS)).isTrue();

        String written = String.join("", sink.flushed());
        int messages = written.split("event: message\n", -1).length - 1;
        assertThat(messages).isEqualTo(accepted);
        int from = 0;
        for (int i = 0;
                i < accepted;
                i++) { // the accepted frames are the first ones: a full buffer drops every later one
            int at = written.indexOf("id: " + i + "\nevent: message\n", from);
            assertThat(at).as("frame %d after frame %d", i, i - 1).isGreaterThanOrEqualTo(from);
            from = at + 1;
        }
        long dropped = offered - accepted;
        assertThat(stream.dropped()).isEqualTo(dropped);
        if (dropped > 0) { // the gap counts the frames dropped before the pump wrote it; later offers find it ended
            assertThat(written.split("event: gap\n", -1)).hasSize(2);
            String tail = written.substring(written.indexOf("event: gap\ndata: {\"dropped\":") + 28);
            long inGap = Long.parseLong(tail.substring(0, tail.indexOf(',')));
            assertThat(inGap).isBetween(1L, dropped);
            assertThat(written)
                    .endsWith(",\"detail\":\"this connection fell behind; reconnect with Last-Event-ID\"}\n\n");
        } else {
            assertThat(written).doesNotContain("event: gap");
        }
    }
}
