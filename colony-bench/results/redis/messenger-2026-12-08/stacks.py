# by role: weight by the leaf's package and by the innermost dev.colony frame. usage: stacks.py file.jfr NODE msgs
import json,sys,collections,subprocess,re,os
JFR=os.environ.get('JAVA_HOME','')+'/bin/jfr'
from cpu import dur, role
f,node,msgs=sys.argv[1],sys.argv[2],int(sys.argv[3])
out=subprocess.run([JFR,'print','--json','--stack-depth','96','--events','jdk.CPUTimeSample',f],capture_output=True,text=True).stdout
ev=json.loads(out)['recording']['events']
pk=collections.defaultdict(collections.Counter); col=collections.defaultdict(collections.Counter)
for e in ev:
    v=e['values']; t=v.get('eventThread') or v.get('sampledThread') or {}
    r=role(t.get('javaName') or t.get('osName') or '?',node); d=dur(v['samplingPeriod'])
    fr=[(x['method']['type']['name'],x['method']['name']) for x in (v.get('stackTrace') or {}).get('frames',[])]
    leaf=fr[0][0] if fr else '?'
    p='/'.join(leaf.split('/')[:3])
    pk[r][p]+=d
    cf=[a.split('/')[-1]+'.'+b for a,b in fr if a.startswith('dev/colony') and '$$Lambda' not in a]
    col[r][' < '.join(cf[:3]) if cf else '-']+=d
for r in sorted(pk, key=lambda r:-sum(pk[r].values())):
    if sum(pk[r].values())/msgs*1e6<1: continue
    print('==',r,'%.2f us/msg'%(sum(pk[r].values())/msgs*1e6))
    print('  leaf pkg:', ', '.join('%s %.2f'%(k,v/msgs*1e6) for k,v in pk[r].most_common(8)))
    for k,v in col[r].most_common(14): print('   %6.2f  %s'%(v/msgs*1e6,k))
