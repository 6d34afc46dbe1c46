package dev.colony.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A token trie of wildcard patterns, beside a map of literal ones. Matching a subject looks its text up
 * in the map, then walks at most two branches per token (the literal child and the {@code *} child) and
 * collects {@code >} subscriptions on the way, so its cost depends on the subject's length and the
 * patterns that match it, not on how many patterns exist.
 *
 * <p>A literal pattern (no wildcard) matches one subject only, so it is kept by its text, not as a path
 * of nodes: adding or removing one is a single map operation that allocates no node, and the trie holds
 * only the patterns that need it. Most subscriptions of a swarm are literal (one per service or agent).
 *
 * <p>Not thread-safe: the route table guards it with its lock.
 */
final class SubjectTrie {
    private static final class Node {
        Map<String, Node> children;
        Node star;
        List<LocalSubscription> here; // patterns that end at this node
        List<LocalSubscription> tail; // patterns with '>' as the next token

        boolean isEmpty() {
            return (children == null || children.isEmpty())
                    && star == null
                    && isNullOrEmpty(here)
                    && isNullOrEmpty(tail);
        }
    }

    private final Node root = new Node();
    private final Map<String, LocalSubscription[]> literals = new HashMap<>(); // arrays replaced, never changed

    void add(SubjectPattern.Wildcard pattern, LocalSubscription subscription) {
        if (pattern.isLiteral()) {
            LocalSubscription[] old = literals.get(pattern.value());
            LocalSubscription[] next;
            if (old == null) {
                next = new LocalSubscription[] {subscription};
            } else {
                next = Arrays.copyOf(old, old.length + 1);
                next[old.length] = subscription;
            }
            literals.put(pattern.value(), next);
            return;
        }
        Node node = root;
        for (int i = 0; i < pattern.size(); i++) {
            String token = pattern.token(i);
            if (token.equals(">")) {
                if (node.tail == null) {
                    node.tail = new ArrayList<>(2);
                }
                node.tail.add(subscription);
                return;
            }
            if (token.equals("*")) {
                if (node.star == null) {
                    node.star = new Node();
                }
                node = node.star;
            } else {
                if (node.children == null) {
                    node.children = new HashMap<>(4);
                }
                node = node.children.computeIfAbsent(token, t -> new Node());
            }
        }
        if (node.here == null) {
            node.here = new ArrayList<>(2);
        }
        node.here.add(subscription);
    }

    void clear() {
        literals.clear();
        root.children = null;
        root.star = null;
        root.here = null;
        root.tail = null;
    }

    void remove(SubjectPattern.Wildcard pattern, LocalSubscription subscription) {
        if (pattern.isLiteral()) {
            removeLiteral(pattern.value(), subscription);
        } else {
            remove(root, pattern, 0, subscription);
        }
    }

    private void removeLiteral(String subject, LocalSubscription subscription) {
        LocalSubscription[] old = literals.get(subject);
        if (old == null) {
            return;
        }
        int at = 0;
        while (at < old.length && old[at] != subscription) {
            at++;
        }
        if (at == old.length) {
            return;
        }
        if (old.length == 1) {
            literals.remove(subject);
            return;
        }
        LocalSubscription[] next = new LocalSubscription[old.length - 1];
        System.arraycopy(old, 0, next, 0, at);
        System.arraycopy(old, at + 1, next, at, next.length - at);
        literals.put(subject, next);
    }

    /** Removes the subscription below {@code node}; returns true when {@code node} became empty. */
    private static boolean remove(Node node, SubjectPattern.Wildcard pattern, int i, LocalSubscription subscription) {
        if (i == pattern.size()) {
            if (node.here != null) {
                node.here.remove(subscription);
            }
            return node.isEmpty();
        }
        String token = pattern.token(i);
        if (token.equals(">")) {
            if (node.tail != null) {
                node.tail.remove(subscription);
            }
        } else if (token.equals("*")) {
            if (node.star != null && remove(node.star, pattern, i + 1, subscription)) {
                node.star = null;
            }
        } else if (node.children != null) {
            Node child = node.children.get(token);
            if (child != null && remove(child, pattern, i + 1, subscription)) {
                node.children.remove(token);
            }
        }
        return node.isEmpty();
    }

    void match(Subject subject, List<LocalSubscription> out) {
        LocalSubscription[] exact = literals.get(subject.value());
        if (exact != null) {
            Collections.addAll(out, exact);
        }
        match(root, subject, 0, out);
    }

    private static void match(Node node, Subject subject, int i, List<LocalSubscription> out) {
        if (i == subject.size()) {
            if (node.here != null) {
                out.addAll(node.here);
            }
            return;
        }
        if (node.tail != null) {
            out.addAll(node.tail);
        }
        if (node.children != null) {
            Node child = node.children.get(subject.token(i));
            if (child != null) {
                match(child, subject, i + 1, out);
            }
        }
        if (node.star != null) {
            match(node.star, subject, i + 1, out);
        }
    }

    /** Adds every subscription in the trie to {@code out}, in no particular order. */
    void collect(List<LocalSubscription> out) {
        for (LocalSubscription[] exact : literals.values()) {
            Collections.addAll(out, exact);
        }
        collect(root, out);
    }

    private static void collect(Node node, List<LocalSubscription> out) {
        if (node.here != null) {
            out.addAll(node.here);
        }
        if (node.tail != null) {
            out.addAll(node.tail);
        }
        if (node.children != null) {
            for (Node child : node.children.values()) {
                collect(child, out);
            }
        }
        if (node.star != null) {
            collect(node.star, out);
        }
    }

    private static boolean isNullOrEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
