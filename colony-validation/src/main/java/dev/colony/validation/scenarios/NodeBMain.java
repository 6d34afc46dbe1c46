package dev.colony.validation.scenarios;

import dev.colony.Colony;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child JVM of the two-JVM mode (ADR 0058): opens node B of the swarm named by its one argument on the
 * server of the {@value ChildJvmNodeB#REDIS_ENV} environment variable, prints {@code {"ready":true}}, then
 * runs the commands of its standard input one at a time ({@link NodeBWork}), answering each with one JSON
 * line on standard output. Anything else it prints goes to standard error.
 *
 * <p>It exits on {@code exit} (closing the node) and when its standard input closes: then at once if it is
 * idle, else within {@value #HALT_SECONDS} s (a command may be waiting). A node that cannot open exits 1 with
 * the reason on standard error. Not an API: started by {@link ChildJvmNodeB} only.
 */
final class NodeBMain {
    static final int HALT_SECONDS = 15;
    private static final String EXIT = "exit";

    private NodeBMain() {}

    static void main(String[] args) throws InterruptedException {
        PrintStream replies = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err); // only replies on standard output
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("node-b-stdin").start(() -> readCommands(commands));
        String uri = System.getenv(ChildJvmNodeB.REDIS_ENV);
        if (args.length != 1 || uri == null) {
            System.err.println("node B: usage: " + ChildJvmNodeB.REDIS_ENV + "=redis://... java ... "
                    + NodeBMain.class.getName() + " SWARM");
            System.exit(2);
        }
        Colony node;
        try {
            node = Colony.builder().redis(uri).swarm(args[0]).build();
        } catch (RuntimeException e) {
            System.err.println("node B could not open swarm '" + args[0] + "': " + e);
            System.exit(1);
            return;
        }
        try (node;
                NodeBWork work = new NodeBWork(node)) {
            answer(replies, NodeBReply.started());
            for (String command = commands.take(); !EXIT.equals(command); command = commands.take()) {
                answer(replies, work.handle(command));
            }
        }
        System.exit(0);
    }

    private static void answer(PrintStream replies, NodeBReply reply) {
        replies.println(reply.line());
        replies.flush();
    }

    /** Queues each line of standard input; at its end, {@code exit}, and a halt if that is not done in time. */
    private static void readCommands(BlockingQueue<String> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
            }
        } catch (IOException e) {
            // the parent is gone: exit as at the end of input
        }
        commands.add(EXIT);
        try {
            Thread.sleep(HALT_SECONDS * 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("node B: standard input closed " + HALT_SECONDS + " s ago and still running: halting");
        Runtime.getRuntime().halt(3);
    }
}
