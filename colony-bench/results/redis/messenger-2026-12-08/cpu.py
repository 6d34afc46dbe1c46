# CPU per message by thread (JFR CPU-time samples weighted by samplingPeriod), both JVMs of one run,
# plus the top "owning" frames of each thread. usage: python3 cpu.py /tmp/msg23/before-1 [messages] [topN]
import json,sys,collections,subprocess,re,os
JFR=os.environ.get('JAVA_HOME','')+'/bin/jfr'
def dur(p):
    if isinstance(p,str): return float(re.match(r'PT([0-9.]+)S',p).group(1))
    return p/1e9 if p>1e3 else p
def role(t, node):
    if 'nioEventLoop' in t: return node+' lettuce event loops'
    if t in ('?',''): return node+' virtual threads'
    if 'inbox' in t: return node+' inbox thread'
    if 'reader' in t: return node+' reader'
    if t=='main': return node+' main'
    if 'ForkJoinPool' in t: return node+' FJ carriers'
    return node+' other'
def frames(v):
    st=v.get('stackTrace') or {}
    return [f['method']['type']['name'].split('.')[-1]+'.'+f['method']['name'] for f in st.get('frames',[])]
def owner(fr):
    # first frame (from the top) in Colony code, else the top frame
    for f in fr:
        pass
    keys=['encode','decode','Jackson','write','read','complete']
    return fr[0] if fr else '?'
def load(f,node,top):
    out=subprocess.run([JFR,'print','--json','--stack-depth','64','--events','jdk.CPUTimeSample,jdk.CPUTimeSamplesLost',f],capture_output=True,text=True).stdout
    ev=json.loads(out)['recording']['events']
    c=collections.Counter(); lost=0; own=collections.defaultdict(collections.Counter)
    for e in ev:
        v=e['values']
        if e['type']=='jdk.CPUTimeSamplesLost': lost+=v['lostSamples']; continue
        t=v.get('eventThread') or v.get('sampledThread') or {}
        tn=t.get('javaName') or t.get('osName') or '?'
        r=role(tn,node); d=dur(v['samplingPeriod']); c[r]+=d
        fr=frames(v)
        # the outermost Colony frame below the carrier: names which Colony step owns the sample
        col=[x for x in fr if re.match(r'(Redis|Json|Handler|Envelope|Cloud|Node|Bench|Messenger|Inbox)',x)]
        key=(col[0] if col else (fr[-1] if fr else '?'))
        own[r][key]+=d
    return c,lost,own
def main():
    global tag
    tag=sys.argv[1]; msgs=int(sys.argv[2]) if len(sys.argv)>2 else 80000; top=int(sys.argv[3]) if len(sys.argv)>3 else 0
    res={}
    for n in ('a','b'):
        c,l,own=load(tag+'-'+n+'.jfr',n.upper(),top)
        print('%s %s lost %d total %.2f s = %.1f us/msg'%(tag,n.upper(),l,sum(c.values()),sum(c.values())/msgs*1e6))
        for k,v in c.most_common():
            print('   %-26s %6.3f s %6.2f us/msg'%(k,v,v/msgs*1e6)); res[k]=round(v/msgs*1e6,2)
            for kk,vv in own[k].most_common(top): print('        %6.2f us  %s'%(vv/msgs*1e6,kk))
    print(json.dumps({'run':tag,'us_per_msg':res}))
if __name__=='__main__':
    main()
