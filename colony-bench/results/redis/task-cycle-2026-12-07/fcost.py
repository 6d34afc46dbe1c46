# Redis time per FCALL of task_submit, task_claim (a task there) and task_complete, from INFO commandstats,
# with the library generated from the given directory of script files as RedisFunctions does (state part only).
# Also the Redis process's CPU time per call (INFO cpu: user+sys), which a loaded machine's preemption does
# not inflate as it does the wall-clock commandstats. Usage: fcost.py PORT DIR N
import sys, time, redis
port, d, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
BIND = "local P = KEYS[1]\nlocal NOW = tonumber(ARGV[1])\nlocal changes = {}\n"
common = open(f"{d}/state_common.lua").read()
assert BIND in common
lua = "#!lua name=colony\n" + common.replace(BIND, "local P, NOW, changes\n")
lua += "\nlocal function begin(keys, argv)\n  P = keys[1]\n  NOW = tonumber(argv[1])\n  changes = {}\nend\n"
for name in ["task_submit", "task_claim", "task_complete"]:
    lua += ("\nredis.register_function{function_name='colony_" + name + "', callback=function(KEYS, ARGV)\nbegin(KEYS, ARGV)\n"
            + open(f"{d}/{name}.lua").read() + "\nend}\n")
r = redis.Redis(port=port)
r.flushall()
r.function_flush()
r.function_load(lua, replace=True)
S = "colony:{cost}:s:"
now = int(time.time() * 1000)
def cpu():
    c = r.info("cpu")
    return c["used_cpu_user"] + c["used_cpu_sys"]
def phase(label, calls):
    r.config_resetstat()
    before = cpu()
    out = []
    for i in range(0, len(calls), 500):
        p = r.pipeline(transaction=False)
        for c in calls[i:i + 500]:
            p.fcall(*c)
        out += p.execute()
    used = cpu() - before
    st = r.info("commandstats")["cmdstat_fcall"]
    print(f"{label}: {st['calls']} calls, {st['usec_per_call']:.2f} us per call (wall, commandstats),"
          f" {used * 1e6 / st['calls']:.2f} us of Redis CPU per call (INFO cpu, with the pipeline's I/O)")
    return out
phase("submit", [("colony_task_submit", 1, S, now, f"t{i}", "bench", 4, "", 3, b"x" * 64, "", "") for i in range(n)])
claims = phase("claim", [("colony_task_claim", 1, S, now, f"w{i % 8}", 30000) for i in range(n)])
tokens = []
for reply in claims:
    f = dict(zip(reply[0][0::2], reply[0][1::2]))
    tokens.append((f[b"id"], f[b"token"]))
phase("complete", [("colony_task_complete", 1, S, now, tid, tok, b"y" * 64, "", "") for tid, tok in tokens])
done = r.zcard(S + "st:COMPLETED")
assert done == n, done
print(f"verified: {done} COMPLETED")
