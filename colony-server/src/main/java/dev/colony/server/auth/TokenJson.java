package dev.colony.server.auth;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of the tokens file, written and read field by field so that every problem names the token
 * and the field: {@code {"format":"colony-tokens","version":1,"tokens":[...]}}.
 */
final class TokenJson {
    static final String FORMAT = "colony-tokens";
    static final int VERSION = 1;

    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private TokenJson() {}

    static byte[] encode(List<StoredToken> tokens) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode array = root.putArray("tokens");
        for (StoredToken token : tokens) {
            TokenInfo t = token.info();
            ObjectNode n = array.addObject();
            n.put("id", t.id());
            n.put("name", t.name());
            n.put("account", t.account());
            n.put("admin", t.admin());
            t.allow().forEach(n.putArray("allow")::add);
            t.deny().forEach(n.putArray("deny")::add);
            n.put("agent", t.agent().orElse(null));
            n.put("created", t.created().toString());
            n.put("expires", t.expires().map(Instant::toString).orElse(null));
            n.put("revoked", t.revoked());
            n.put("sha256", TokenSecret.hex(token.sha256()));
        }
        return MAPPER.writeValueAsBytes(root);
    }

    static List<StoredToken> decode(byte[] bytes, Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw corrupt(file, "not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null
                || !root.isObject()
                || !FORMAT.equals(root.path("format").asString(null))) {
            throw corrupt(file, "not a tokens file (no \"format\": \"" + FORMAT + "\")", null);
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw corrupt(file, "version " + root.path("version") + " is not " + VERSION, null);
        }
        JsonNode array = root.path("tokens");
        if (!array.isArray()) {
            throw corrupt(file, "\"tokens\" is not an array", null);
        }
        List<StoredToken> tokens = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> activeNames = new HashSet<>();
        for (JsonNode n : array) {
            String where = "token #" + (tokens.size() + 1);
            StoredToken token;
            try {
                token = token(n);
            } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
                throw corrupt(file, where + ": " + e.getMessage(), e);
            }
            if (!ids.add(token.info().id())) {
                throw corrupt(file, where + ": id " + token.info().id() + " appears twice", null);
            }
            if (!token.info().revoked() && !activeNames.add(token.info().name())) {
                throw corrupt(
                        file,
                        where + ": two active tokens are named \""
                                + token.info().name() + "\"",
                        null);
            }
            tokens.add(token);
        }
        return tokens;
    }

    private static StoredToken token(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        TokenInfo info = new TokenInfo(
                string(n, "id"),
                string(n, "name"),
                string(n, "account"),
                bool(n, "admin"),
                strings(n, "allow"),
                strings(n, "deny"),
                Optional.ofNullable(optionalString(n, "agent")),
                Instant.parse(string(n, "created")),
                Optional.ofNullable(optionalString(n, "expires")).map(Instant::parse),
                bool(n, "revoked"));
        String hash = string(n, "sha256");
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("\"sha256\" is not 64 lowercase hex digits");
        }
        return new StoredToken(info, TokenSecret.unhex(hash));
    }

    private static String string(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a string");
        }
        return value.asString();
    }

    private static String optionalString(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? null : string(n, field);
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not true/false");
        }
        return value.booleanValue();
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not an array");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode v : value) {
            if (!v.isString()) {
                throw new IllegalArgumentException("\"" + field + "\" holds " + v + ", which is not a string");
            }
            strings.add(v.asString());
        }
        return strings;
    }

    private static TokenFileException corrupt(Path file, String problem, Throwable cause) {
        return new TokenFileException(
                "tokens file " + file + " is malformed: " + problem.replaceAll("\\s*\\R\\s*", " ")
                        + "; fix or restore it (it was left unchanged)",
                cause);
    }
}
