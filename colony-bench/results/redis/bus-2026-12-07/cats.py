import json,sys,collections
ev=json.load(open(sys.argv[1]))['recording']['events']
def nm(fr): return fr['method']['type']['name'].replace('/','.')+'.'+fr['method']['name']
rules=[
 ('publisher','RedisEventBusFrame.encode','encode frame (Jackson generator)'),
 ('publisher','RedisEventBusSender.offer','offer to outbound buffer'),
 ('publisher','LocalEventBus','local publish (no local subscriber: dead-event count)'),
 ('publisher','RedisEventBus.nextId','event id'),
 ('publisher','','bench harness (payload, nanoTime, loop)'),
 ('sender','RedisEventBusSender.numbered','colonyseq splice (String per event)'),
 ('sender','RedisEventBusSender.sameChannel','grouping runs of one channel'),
 ('sender','RedisEventBusSender.message','per-message seq map + batch'),
 ('sender','AbstractRedisAsyncCommands.publish','Lettuce: command built + queued'),
 ('sender','flushCommands','Lettuce: flush'),
 ('sender','RedisEventBusSender.await','waits for replies (futures)'),
 ('sender','','poll/drain buffer, other'),
 ('loop','CommandEncoder','Lettuce/Netty: encode commands'),
 ('loop','PubSubCommandHandler','Lettuce: pub/sub message decode + listener'),
 ('loop','channelRead','Lettuce: replies decoded, futures completed'),
 ('loop','doWrite','Netty: socket write'),
 ('loop','flush','Netty: socket write'),
 ('loop','write','Lettuce/Netty: write path'),
 ('loop','','Netty: select/wake-up, other'),
 ('receiver','DupDetector','Jackson duplicate detection'),
 ('receiver','RedisEventBusFrame.decode','decode frame (Jackson parser)'),
 ('receiver','Subject.of','Subject.of per message'),
 ('receiver','RedisEventBusGaps','gap bookkeeping'),
 ('receiver','NodeBWork','bench handler (check, duplicate set, histogram)'),
 ('receiver','LocalEventBus','local dispatch (route, DIRECT)'),
 ('receiver','poll','wait on inbound queue'),
 ('receiver','','other'),
]
def role(t):
    if t.startswith('Thread-'): return 'publisher'
    if 'bus-sender' in t: return 'sender'
    if 'nioEventLoop' in t: return 'loop'
    if 'bus-receiver' in t: return 'receiver'
    return None
c=collections.Counter(); tot=collections.Counter()
for e in ev:
    st=e['values']['stackTrace']
    if not st: continue
    t=e['values']['sampledThread']; tn=(t.get('javaName') or '?'); r=role(tn)
    if not r: tot['(other threads)']+=1; continue
    j=' '.join(nm(f) for f in st['frames'])
    tot[r]+=1
    for rr,k,lab in rules:
        if rr==r and k in j: c[(r,lab)]+=1; break
n=sum(tot.values())
print('all samples',n, dict(tot))
for (r,lab),v in sorted(c.items(),key=lambda x:(x[0][0],-x[1])): print('%-10s %-55s %5d %5.1f%% of thread %5.1f%% of all'%(r,lab,v,100*v/tot[r],100*v/n))
