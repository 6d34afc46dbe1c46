/*
 * A Colony task scorer in C (ABI v0, docs/plugins.md): scores each candidate minus its lease count, so
 * TaskQueue.assign gives the task to the least loaded agent (ties to the earliest registered, as the queue
 * keeps the first of equal scores). Each candidate's JSON starts {"leases":<digits>, so the load is read at
 * byte 10 without a JSON parser. Freestanding: no libc.
 *
 * Built by scripts/wasm-examples.sh; the exact command is in fewest_leases.BUILD.
 */

#define INPUT_CAPACITY 60000
#define MAX_CANDIDATES 4096
#define LEASES_AT 10 /* strlen("{\"leases\":") */

static unsigned char input[INPUT_CAPACITY];
static int leases[MAX_CANDIDATES];

__attribute__((export_name("colony_abi_version")))
int colony_abi_version(void) { return 0; }

__attribute__((export_name("colony_input")))
int colony_input(void) { return (int) input; }

__attribute__((export_name("colony_input_capacity")))
int colony_input_capacity(void) { return INPUT_CAPACITY; }

__attribute__((export_name("colony_configure")))
int colony_configure(int length) { return 0; }

static unsigned read_u32(const unsigned char *at) {
    return at[0] | (unsigned) at[1] << 8 | (unsigned) at[2] << 16 | (unsigned) at[3] << 24;
}

/*
 * The task (task_length bytes) is at the input, then n candidates, each a little-endian u32 length and its
 * JSON. Writes n doubles at the input (after reading every candidate: the scores overwrite them); 0 on
 * success, -1 for input it cannot read.
 */
__attribute__((export_name("colony_score")))
int colony_score(int task_length, int n) {
    if (n < 0 || n > MAX_CANDIDATES) {
        return -1;
    }
    const unsigned char *at = input + task_length;
    const unsigned char *end = input + INPUT_CAPACITY;
    for (int k = 0; k < n; k++) {
        if (at + 4 > end) {
            return -1;
        }
        unsigned length = read_u32(at);
        const unsigned char *json = at + 4;
        if (length > (unsigned) (end - json) || length <= LEASES_AT) {
            return -1;
        }
        int value = 0;
        for (unsigned i = LEASES_AT; i < length && json[i] >= '0' && json[i] <= '9'; i++) {
            value = value * 10 + (json[i] - '0');
        }
        leases[k] = value;
        at = json + length;
    }
    double *scores = (double *) input;
    for (int k = 0; k < n; k++) {
        scores[k] = -(double) leases[k];
    }
    return 0;
}
