import json, sys, collections
data = json.load(open(sys.argv[1]))
events = data['recording']['events']
cats = collections.Counter(); total = 0; phase = collections.Counter()
CATS = [
 ('double formatting', ['io/xjb/', 'NumberOutput', 'DoubleToDecimal', 'schubfach']),
 ('double parsing (FDP)', ['shaded/fdp/', 'NumberInput.parseDouble', 'FloatingDecimal']),
 ('number tokenizing', ['_parseUnsignedNumber', '_parseFloat', '_parsePosNumber', '_parseNegNumber', 'getDoubleValue', '_parseNumericValue', 'getNumberValue','_parseSlowFloat','_parseIntValue', 'DoubleDeserializer']),
 ('name matching (read)', ['_nextNameMatch','_matchName','BinaryNameMatcher','ByteQuadsCanonicalizer','_parseName','parseMediumName','findName','nextName','setCurrentName']),
 ('string read', ['_finishAndReturnString', '_finishString', 'getString','TextBuffer']),
 ('string/name write', ['_writeStringSegment', 'writeString', 'writeName', 'SerializedString','_writeName']),
 ('time format/parse', ['CloudEventTime']),
 ('envelope/attribute code', ['CloudEventReader', 'Envelope.', 'AgentId', 'HashMap']),
 ('generator/parser misc', ['tools/jackson/core/']),
 ('databind (bean/collection binders, blackbird)', ['tools/jackson/databind', 'blackbird', 'LambdaForm', 'invoke']),
]
for e in events:
    st = e['values'].get('stackTrace')
    frames = st['frames'] if st else []
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    if not any('colonyCodec' in n for n in names): continue
    total += 1
    ph = 'encode' if any('JsonMessageCodec.encode' in n for n in names) else ('decode' if any('JsonMessageCodec.decode' in n for n in names) else 'other')
    phase[ph]+=1
    cat = 'other'
    for n in names:
        hit = None
        for c, keys in CATS:
            if any(k in n for k in keys): hit = c; break
        if hit: cat = hit; break
    cats[(ph,cat)] += 1
print('samples in colonyCodec:', total, dict(phase))
for (p,c), n in sorted(cats.items(), key=lambda x:(x[0][0], -x[1])): print(f'{p:7s} {c:48s} {n:5d} {100*n/total:5.1f}%')
