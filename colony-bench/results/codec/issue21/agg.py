import json, sys, collections
data = json.load(open(sys.argv[1]))
events = data['recording']['events']
selfc = collections.Counter(); cats = collections.Counter(); total = 0
CATS = [
 ('double formatting', ['io.xjb.', 'NumberOutput.outputDouble', 'DoubleToDecimal', 'schubfach']),
 ('double parsing (FastDoubleParser)', ['shaded.fdp.', 'fastdoubleparser', 'NumberInput.parseDouble', 'FloatingDecimal']),
 ('number tokenizing', ['_parseUnsignedNumber', '_parseFloat', '_parsePosNumber', '_parseNegNumber', 'getDoubleValue', '_parseNumericValue', 'getNumberValue','_parseSlowFloat','_parseIntValue']),
 ('string/name read', ['_finishAndReturnString', '_parseName', 'parseMediumName', 'parseLongName', 'findName', 'nextName', '_finishString', 'getString']),
 ('string write', ['_writeStringSegment', 'writeString', 'writeName', '_writeName']),
 ('envelope attributes', ['CloudEventReader', 'CloudEventTime', 'JsonMessageCodec.encode', 'writeExtensions']),
]
for e in events:
    frames = e['values']['stackTrace']['frames'] if e['values'].get('stackTrace') else []
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    if not any('colonyCodec' in n for n in names): continue
    total += 1
    selfc[names[0] if names else '?'] += 1
    cat = 'other'
    for n in names:
        hit = None
        for c, keys in CATS:
            if any(k in n for k in keys): hit = c; break
        if hit: cat = hit; break
    cats[cat] += 1
print('samples in colonyCodec:', total)
for c, n in cats.most_common(): print(f'{c:45s} {n:5d} {100*n/total:5.1f}%')
print('--- top self frames')
for n, c in selfc.most_common(30): print(c, n)
