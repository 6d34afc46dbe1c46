import re, json, sys
runs=[]
for path in sys.argv[1:]:
    cur=None
    for line in open(path):
        m=re.match(r'== (\S+) (\S+) (\S+) load: (\S+) (\S+) (\S+)', line)
        if m:
            cur={'series':path.split('/')[-1].replace('.log',''),'server':m.group(1),'readers':m.group(2),'utc':m.group(3),'load1_start':float(m.group(4))}
            runs.append(cur); continue
        if cur is None: continue
        m=re.search(r'published in ([\d.]+) s\): (\d+) of (\d+) delivered.*?, (\d+) gaps, (\d+) out of order; publish-to-read p50=([\d.]+) ms p99=([\d.]+) ms', line)
        if m:
            cur.update(published_s=float(m.group(1)),events_per_s=round(5000/float(m.group(1))),delivered=int(m.group(2)),expected=int(m.group(3)),gaps=int(m.group(4)),out_of_order=int(m.group(5)),p50_ms=float(m.group(6)),p99_ms=float(m.group(7)))
        m=re.search(r'all delivered after ([\d.]+) s; (.*?) CPU ([\d.]+) s \(([\d.]+) µs per delivered event\); (\d+) server writes \(chunks\), ([\d.]+) events per write', line)
        if m:
            cur.update(all_delivered_s=float(m.group(1)),cpu_of=m.group(2),cpu_s=float(m.group(3)),cpu_us_per_delivered=float(m.group(4)),server_writes=int(m.group(5)),events_per_write=float(m.group(6)))
        m=re.search(r'client process \(readers and publisher\) CPU ([\d.]+) s \(([\d.]+) µs', line)
        if m:
            cur.update(client_cpu_s=float(m.group(1)),client_cpu_us_per_delivered=float(m.group(2)))
        m=re.search(r'reader process CPU ([\d.]+) s \(([\d.]+) µs', line)
        if m:
            cur.update(client_cpu_s=float(m.group(1)),client_cpu_us_per_delivered=float(m.group(2)))
        m=re.search(r'end load: (\S+)', line)
        if m: cur['load1_end']=float(m.group(1))
print(json.dumps(runs, indent=1))
