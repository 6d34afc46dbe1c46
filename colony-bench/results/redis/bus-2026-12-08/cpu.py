import json,sys,collections,subprocess,re,os
JFR=os.environ['JAVA_HOME']+'/bin/jfr'
def dur(s):
    if isinstance(s,(int,float)): return s/1e9 if s>1e3 else s
    m=re.match(r'PT([0-9.]+)S',s); return float(m.group(1))
def role(t, node):
    if t.startswith('Thread-'): return 'A publishers'
    if 'bus-sender' in t: return node+' bus sender'
    if 'nioEventLoop' in t: return node+' Lettuce event loop'
    if 'bus-receiver' in t: return node+' bus receiver'
    return node+' other threads'
def load(f,node):
    out=subprocess.run([JFR,'print','--json','--stack-depth','1','--events','jdk.CPUTimeSample,jdk.CPUTimeSamplesLost',f],capture_output=True,text=True).stdout
    ev=json.loads(out)['recording']['events']
    c=collections.Counter(); lost=0
    for e in ev:
        v=e['values']
        if e['type']=='jdk.CPUTimeSamplesLost': lost+=v['lostSamples']; continue
        t=v.get('eventThread') or v.get('sampledThread') or {}
        tn=t.get('javaName') or t.get('osName') or '?'
        c[role(tn,node)]+=dur(v['samplingPeriod'])
    return c,lost
events=int(os.environ.get("EVENTS","400000"))
res={}
for tag in sys.argv[1:]:
    ca,la=load(tag+'-a.jfr','A'); cb,lb=load(tag+'-b.jfr','B')
    c=ca+cb; res[tag]=c
    bus=sum(v for k,v in c.items() if 'other' not in k)
    print(tag, 'lost samples A/B', la, lb, ' bus threads %.2f s = %.1f us/event'%(bus,bus/events*1e6))
    for k in sorted(c): print('   %-26s %6.2f s  %5.2f us/event'%(k,c[k],c[k]/events*1e6))
