import json,sys,collections
ev=json.load(open(sys.argv[1]))['recording']['events']
def nm(fr): return fr['method']['type']['name'].replace('/','.')+'.'+fr['method']['name']
want=sys.argv[2]; keys=sys.argv[3].split(',') if len(sys.argv)>3 else []
rows=[]
for e in ev:
    st=e['values']['stackTrace']
    if not st: continue
    t=e['values']['sampledThread']; tn=(t.get('javaName') or t.get('osName') or '?')
    if want in tn: rows.append(([nm(f) for f in st['frames']],st.get('truncated')))
print(len(rows),'samples on',want, 'truncated',sum(1 for r in rows if r[1]))
inc=collections.Counter()
for names,_ in rows:
    seen=set()
    for n in names:
        s=n.split('(')[0]
        if s not in seen: inc[s]+=1; seen.add(s)
for k,v in inc.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 60): print('  %5d %5.1f%% %s'%(v,100*v/len(rows),k))
