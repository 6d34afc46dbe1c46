# Mean Redis time per FCALL of each function, from SLOWLOG (threshold 0) on port 6522.
import redis, collections
r = redis.Redis(port=6522)
t, n = collections.Counter(), collections.Counter()
for e in r.slowlog_get(200000):
    cmd = e['command'].split(b' ')
    if cmd[0].upper() == b'FCALL':
        f = cmd[1].decode()
        t[f] += e['duration']; n[f] += 1
for f in sorted(n):
    print(f"{f} calls={n[f]} mean_us={t[f]/n[f]:.1f}")
