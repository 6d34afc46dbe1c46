/*
 * A Colony bus filter in C (ABI v0, docs/plugins.md): accepts an event whose payload contains the needle
 * given as the plugin's configuration; an empty needle accepts everything. Freestanding: no libc.
 *
 * Built by scripts/wasm-examples.sh; the exact command is in needle_filter.BUILD.
 */

#define INPUT_CAPACITY 60000
#define MAX_NEEDLE 1024

__attribute__((import_module("colony"), import_name("log")))
void colony_log(int level, const char *text, int length);

static unsigned char input[INPUT_CAPACITY];
static unsigned char needle[MAX_NEEDLE];
static int needle_length;

__attribute__((export_name("colony_abi_version")))
int colony_abi_version(void) { return 0; }

__attribute__((export_name("colony_input")))
int colony_input(void) { return (int) input; }

__attribute__((export_name("colony_input_capacity")))
int colony_input_capacity(void) { return INPUT_CAPACITY; }

/* The configuration (the needle) is at the input; keep a copy, since every call overwrites the input. */
__attribute__((export_name("colony_configure")))
int colony_configure(int length) {
    if (length < 0 || length > MAX_NEEDLE) {
        static const char too_long[] = "needle longer than 1024 bytes";
        colony_log(3, too_long, sizeof too_long - 1);
        return -1;
    }
    for (int i = 0; i < length; i++) {
        needle[i] = input[i];
    }
    needle_length = length;
    return 0;
}

/* The subject is at the input, the payload right after it. 1 accepts, 0 rejects. */
__attribute__((export_name("colony_filter")))
int colony_filter(int subject_length, int payload_length) {
    const unsigned char *payload = input + subject_length;
    if (needle_length == 0) {
        return 1;
    }
    for (int i = 0; i + needle_length <= payload_length; i++) {
        int j = 0;
        while (j < needle_length && payload[i + j] == needle[j]) {
            j++;
        }
        if (j == needle_length) {
            return 1;
        }
    }
    return 0;
}
