import re,collections,sys
txt=open(sys.argv[1]).read()
want=sys.argv[2] if len(sys.argv)>2 else ''
events=txt.split('jdk.ExecutionSample')
top=collections.Counter(); thr=collections.Counter(); incl=collections.Counter()
for e in events[1:]:
    m=re.search(r'sampledThread = "([^"]*)"',e)
    t=m.group(1) if m else '?'
    if want and want not in t: continue
    frames=re.findall(r'^\s+([\w.$<>]+)\(',e,re.M)
    if not frames: continue
    thr[t]+=1
    top[frames[0]]+=1
    for f in set(frames): incl[f]+=1
print(sum(thr.values()), thr.most_common(6))
for k,v in top.most_common(22): print(' ',v,k)
print('--- inclusive')
for k,v in incl.most_common(30): print(' ',v,k)
