import json,glob,os
rows=[]
for f in sorted(glob.glob('colony-bench/results/redis/quiet-2026-12-08-b/*.json')):
    d=json.load(open(f))
    for s in d['scenarios']:
        det=s.get('details',{})
        base=s.get('baseline') or {}
        bt=base.get('throughput_per_sec') if isinstance(base,dict) else None
        print(f"{os.path.basename(f):40s} {s['name']:22s} {s['throughput_per_sec']:>10.0f}/s  min {det.get('throughput_min',0):>9.0f} max {det.get('throughput_max',0):>9.0f}  p50 {s['latency_us']['p50']/1000:8.1f} ms  verified {s['verified']['observed']}/{s['verified']['expected']} dup {det.get('duplicates','-')}  base {bt} ratio {base.get('ratio')} start {d['started_at'][11:19]}")
