import json,sys,collections
f=sys.argv[1]
ev=json.load(open(f))['recording']['events']
def nm(fr): return fr['method']['type']['name'].replace('/','.')+'.'+fr['method']['name']
rows=[]
for e in ev:
    st=e['values']['stackTrace']
    if not st: continue
    names=[nm(fr) for fr in st['frames']]
    rows.append((e['values']['startTime'],e['values']['sampledThread'].get('javaName') or e['values']['sampledThread'].get('osName'),names))
rows.sort()
t0=min(r[0] for r in rows if any(('RedisTasksScenario' in n or 'TaskWorkers' in n or 'RedisStateTasks' in n) for n in r[2]))
def cat(n):
    if n.startswith(('io.netty','io.lettuce','reactor.')): return 'lettuce/netty'
    if n.startswith(('tools.jackson','com.fasterxml')): return 'jackson'
    if n.startswith('dev.colony.validation'): return 'bench harness'
    if n.startswith('org.HdrHistogram'): return 'hdrhistogram'
    if n.startswith('dev.colony'): return 'colony'
    return None
def selfcat(names):
    # first non-JDK frame's category from the top; label JDK leaf frames by that caller
    for n in names:
        c=cat(n)
        if c: return c
    return 'jdk only'
KEYS=['RedisMessengerSender.deliver','RedisMessenger.route','RedisMessengerReader','RedisInboxDelivery','JsonMessageCodec','CloudEvent','RedisEventBus.publish','RedisEventBusSender','RedisEventBusReceiver','RedisState.announce','RedisStateCodec','RedisStateTasks','RedisStateScripts','RedisMessengerScripts','CommandHandler.channelRead','CommandHandler.write','NioIoHandler.wakeup','NioIoHandler.run','RedisLink','ForkJoinPool','Continuation','VirtualThread','TaskWorkers','RedisTasksScenario','RedisMessengerScenario','NodeBWork','HdrHistogram','.encode','.decode','LockSupport','Sweeper','sweep','Heartbeat','heartbeat']
for ph,l in [('messenger',[r for r in rows if r[0]<t0]),('tasks',[r for r in rows if r[0]>=t0])]:
    print('==',ph,len(l),'samples')
    c=collections.Counter(selfcat(r[2]) for r in l)
    for k,v in c.most_common(): print('  leaf-owner %-20s %4d %5.1f%%'%(k,v,100*v/len(l)))
    th=collections.Counter((r[1] or '?').rstrip('0123456789-#') for r in l)
    print('  threads', th.most_common(8))
    incl=collections.Counter()
    for r in l:
        j=' '.join(r[2])
        for k in KEYS:
            if k in j: incl[k]+=1
    for k,v in incl.most_common(): print('  incl %-35s %4d %5.1f%%'%(k,v,100*v/len(l)))
