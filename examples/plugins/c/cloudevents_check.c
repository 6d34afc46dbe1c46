/*
 * A Colony message validator in C (ABI v0, docs/plugins.md): checks the CloudEvents JSON bytes of a
 * message in one pass: one JSON object, strings closed and free of raw control characters, brackets
 * balanced and nested at most 64 deep, and the four required CloudEvents attributes (specversion, id,
 * source, type) present as top-level keys. Valid messages pass unchanged (-2); invalid ones are rejected
 * (-1) with the reason colony_reason returns. A structural check, not a full JSON parser: it does not
 * check numbers, literals or commas.
 *
 * Built by scripts/wasm-examples.sh; the exact command is in cloudevents_check.BUILD.
 */

#define INPUT_CAPACITY 65536
#define MAX_DEPTH 64

static unsigned char input[INPUT_CAPACITY];
static const char *reason_text = "";
static int reason_length;

static const char *const required[4] = {"specversion", "id", "source", "type"};
static const int required_length[4] = {11, 2, 6, 4};

__attribute__((export_name("colony_abi_version")))
int colony_abi_version(void) { return 0; }

__attribute__((export_name("colony_input")))
int colony_input(void) { return (int) input; }

__attribute__((export_name("colony_input_capacity")))
int colony_input_capacity(void) { return INPUT_CAPACITY; }

__attribute__((export_name("colony_configure")))
int colony_configure(int length) { return length == 0 ? 0 : -1; }

__attribute__((export_name("colony_reason")))
long long colony_reason(void) {
    return ((long long) (unsigned) reason_text << 32) | (unsigned) reason_length;
}

static long long reject(const char *why, int length) {
    reason_text = why;
    reason_length = length;
    return -1;
}

#define REJECT(text) reject(text, sizeof text - 1)

/* Which required key, if any, the string starting at p (after its opening quote) is, as a bit. */
static int key_bit(const unsigned char *p, int left) {
    for (int k = 0; k < 4; k++) {
        int n = required_length[k];
        if (n + 1 > left || p[n] != '"') {
            continue;
        }
        int j = 0;
        while (j < n && p[j] == (unsigned char) required[k][j]) {
            j++;
        }
        if (j < n) {
            continue;
        }
        int i = n + 1;
        while (i < left && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) {
            i++;
        }
        if (i < left && p[i] == ':') {
            return 1 << k;
        }
    }
    return 0;
}

__attribute__((export_name("colony_transform")))
long long colony_transform(int subject_length, int length) {
    const unsigned char *p = input + subject_length;
    int i = 0;
    while (i < length && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) {
        i++;
    }
    if (i == length || p[i] != '{') {
        return REJECT("not a JSON object");
    }
    int depth = 0, in_string = 0, escaped = 0, found = 0;
    for (; i < length; i++) {
        unsigned char c = p[i];
        if (in_string) {
            if (escaped) {
                escaped = 0;
            } else if (c == '\\') {
                escaped = 1;
            } else if (c == '"') {
                in_string = 0;
            } else if (c < 0x20) {
                return REJECT("a raw control character inside a string");
            }
        } else if (c == '"') {
            in_string = 1;
            if (depth == 1) {
                found |= key_bit(p + i + 1, length - i - 1);
            }
        } else if (c == '{' || c == '[') {
            if (++depth > MAX_DEPTH) {
                return REJECT("nested deeper than 64");
            }
        } else if (c == '}' || c == ']') {
            if (--depth < 0) {
                return REJECT("unbalanced brackets");
            }
        }
    }
    if (in_string || depth != 0) {
        return REJECT("truncated: a string or bracket is not closed");
    }
    if (found != 15) {
        return REJECT("missing a required CloudEvents attribute (specversion, id, source, type)");
    }
    return -2;
}
