import sys, re, collections
# parse jfr print output of jdk.CPUTimeSample; categorize each sample
def samples(path):
    cur=None; frames=[]
    for line in open(path):
        s=line.strip()
        if s.startswith('jdk.CPUTimeSample'):
            frames=[]; thread=''
        elif s.startswith('eventThread'):
            thread=s
        elif s.startswith('stackTrace = ['):
            frames=[]
        elif s==']':
            pass
        elif s=='}':
            yield thread, frames
        elif s and not '=' in s.split('(')[0]:
            frames.append(re.sub(r' line: \d+','',s))
def cat(thread, fr):
    j=' | '.join(fr)
    if 'FanOutReader' in j or 'SseClient' in j: 
        if 'SocketDispatcher.read' in j or 'NioSocketImpl.read' in j and 'read0' in j: return 'reader: read syscall'
        return 'reader: other'
    if 'RawHttp' in j or 'FanOutBench.main' in j: return 'publisher client'
    if 'SseStream.pump' in j:
        if 'flush' in j or 'write' in j:
            if 'writev' in j or 'IOUtil.write' in j or 'FileDispatcherImpl' in j or 'SocketDispatcher.write' in j: return 'pump: write syscall'
            return 'pump: write/flush other'
        if 'awaitFrames' in j or 'park' in j.lower(): return 'pump: park/wait'
        return 'pump: other'
    if 'EventRing.append' in j:
        if 'SseStream.offer' in j:
            if 'signal' in j or 'unpark' in j.lower(): return 'publish: offer+signal'
            return 'publish: offer'
        return 'publish: ring other'
    if 'ColonyHandler' in j: return 'handler other'
    if 'ForkJoin' in j or 'VirtualThread' in j or 'Continuation' in j: return 'vthread scheduling'
    if 'jetty' in j: 
        if 'ManagedSelector' in j or 'epoll' in j.lower(): return 'jetty selector'
        return 'jetty other'
    if not fr: return 'no stack '+thread
    return 'other: '+fr[0]
c=collections.Counter(); top=collections.Counter(); n=0
for t,fr in samples(sys.argv[1]):
    n+=1; c[cat(t,fr)]+=1
    if fr: top[fr[0]]+=1
print('samples',n)
for k,v in c.most_common(30): print(f'{100*v/n:5.1f}% {v:6d} {k}')
print('--- top frames')
for k,v in top.most_common(25): print(f'{100*v/n:5.1f}% {v:6d} {k}')
if len(sys.argv)>2:
    key=sys.argv[2]; sub=collections.Counter(); m=0
    for t,fr in samples(sys.argv[1]):
        if cat(t,fr)==key:
            m+=1
            # first 4 frames
            sub[' < '.join(f.split('(')[0].split('.')[-2]+'.'+f.split('(')[0].split('.')[-1] for f in fr[:5])]+=1
    print('---',key,m)
    for k,v in sub.most_common(20): print(f'{v:5d} {k}')
