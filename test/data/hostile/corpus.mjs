// Seeded generator of hostile incident files (issue 20): each case is one input file plus what a correct ingest
// must do with it — either keep exactly the good rows and reject exactly the bad ones (line and reason known), or
// refuse the whole file with a UserError that names it and leaves the store unchanged.
// Shared by test/data/hostile.test.ts (a few hundred cases, fast) and bench/fuzz-ingest.mjs (thousands).
// Plain JS so the bench can load it next to dist/; `random` is the caller's seeded source (util/rng Rng.random).

/** Chicago's city box with a margin, given as --bbox to the generic-column cases (lat/lon swaps are caught by it). */
export const BOX = [-88.3, 41.3, -87.2, 42.4];
const CATS = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE', 'BURGLARY', 'ROBBERY'];
const TZ = 'America/Chicago';

/** Every kind of input, with a weight (how often the corpus draws it). */
export const KINDS = {
  'csv-mixed': 30, // good rows mixed with every row-level fault (quotes, dates, years, offsets, numbers, swaps, ids)
  'csv-unterminated-quote': 12,
  'csv-epoch': 8,
  'csv-conflicting-ids': 8,
  'csv-composite-ids': 4,
  'csv-encoding': 5,
  'geojson-dunder': 4,
  'geojson-deep': 3,
  'geojson-many-keys': 2,
  'parquet-broken': 5,
  'empty-file': 2,
  'directory': 2,
  'tz-conflict': 4,
  'rejects-unwritable': 3,
  'disk-full': 3,
  'too-many-categories': 0.3,
};

const pad = (n, w = 2) => String(n).padStart(w, '0');

function tools(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (a) => a[int(a.length)];
  const time = () => `2017-${pad(1 + int(12))}-${pad(1 + int(28))} ${pad(int(24))}:${pad(int(60))}`;
  const lat = () => (41.65 + random() * 0.35).toFixed(6);
  const lon = () => (-87.9 + random() * 0.35).toFixed(6);
  return { int, pick, time, lat, lon };
}

/** Builds a CSV line by line, tracking each record's physical line and its expected fate. */
class CsvBuilder {
  constructor(header) {
    this.lines = [header];
    this.kept = 0;
    this.duplicates = 0;
    this.rejects = []; // [line, reason]
  }
  get nextLine() { return this.lines.length + 1; }
  text(eol = '\n') { return this.lines.join(eol) + eol; }
}

const GENERIC = { timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', tz: TZ, bbox: BOX };

/** One hostile case, fully determined by `random`. */
export function hostileCase(index, kind, random) {
  const t = tools(random);
  const id = `c${index}`;
  const make = KINDS_IMPL[kind];
  const c = make(t, id, random);
  return { index, kind, dataset: `fuzz_${index}`, ...c };
}

/** `n` cases, kinds drawn by weight. */
export function* hostileCorpus(n, random) {
  const entries = Object.entries(KINDS);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  for (let i = 0; i < n; i++) {
    let r = random() * total, kind = entries[0][0];
    for (const [k, w] of entries) { if ((r -= w) < 0) { kind = k; break; } }
    yield hostileCase(i, kind, random);
  }
}

/** Add a record (possibly several physical lines) with its expected fate: kept, duplicate, or rejected for `reason`. */
function pushRecord(b, text, fate, reason) {
  const start = b.nextLine;
  const parts = text.split('\n');
  if (fate === 'good') b.kept++;
  else if (fate === 'dup') b.duplicates++;
  else b.rejects.push([start, reason]);
  for (const p of parts) b.lines.push(p);
}

/** A good generic row: id,time,category,lat,lon (categories sometimes quoted, with a comma or across two lines). */
function goodRecord(t, rid) {
  const v = t.int(10);
  const cat = v === 0 ? `"${t.pick(CATS)}"` : v === 1 ? '"THEFT, PETTY"' : v === 2 ? '"CRIMINAL\nDAMAGE"' : t.pick(CATS);
  return `${rid},${t.time()},${cat},${t.lat()},${t.lon()}`;
}

/** Row-level faults of a generic CSV row: [text, reason]. */
const FAULTS = [
  (t, rid) => [`${rid},${t.time()},"THEFT,${t.lat()},${t.lon()}`, 'unterminated-quote'],
  (t, rid) => [`${rid},${t.time()},THEFT,${t.lat()},${t.lon()},EXTRA`, 'column-count'],
  (t, rid) => [`${rid},13/45/2017 09:00,THEFT,${t.lat()},${t.lon()}`, 'bad-date'],
  (t, rid) => [`${rid},${t.pick(['0000', '0001', '0099', '0999'])}-09-05 12:00,THEFT,${t.lat()},${t.lon()}`, 'bad-date'],
  (t, rid) => [`${rid},${t.pick(['1899', '1066', '2101', '9999'])}-09-05 12:00,THEFT,${t.lat()},${t.lon()}`, 'time-out-of-range'],
  (t, rid) => [`${rid},2017-09-05T12:00:00${t.pick(['+25:00', '+99:99', '+14:30', '-05:60', '+15'])},THEFT,${t.lat()},${t.lon()}`, 'bad-date'],
  (t, rid) => [`${rid},${t.time()},THEFT,${t.pick(['0x29', '0b101001', '0o51', 'Infinity', '1e999', '41.8.1', '4 1'])},${t.lon()}`, 'non-finite-coordinates'],
  (t, rid) => [`${rid},${t.time()},THEFT,${t.lon()},${t.lat()}`, 'lat-lon-swapped'],
  (t, rid) => [`${rid},${t.time()},THEFT,${(10 + t.int(20)).toFixed(3)},${(10 + t.int(20)).toFixed(3)}`, 'outside-bbox'],
  (t, rid) => [`${rid},${t.time()},THEFT,95.1,${t.lon()}`, 'coordinates-out-of-range'],
  (t, rid) => [`${rid},${t.time()},,${t.lat()},${t.lon()}`, 'missing-category'],
  (t, rid) => [`${rid},${t.time()},THEFT,,`, 'missing-coordinates'],
  (t, rid) => [`${rid},${t.time()},THEFT,0,0`, 'zero-coordinates'],
  (t) => [`,${t.time()},THEFT,${t.lat()},${t.lon()}`, 'missing-id'],
  (t, rid) => [`${rid},yesterday,THEFT,${t.lat()},${t.lon()}`, 'bad-date'],
];

function mixedCsv(t, id, faults, nGood, nBad) {
  const b = new CsvBuilder('id,time,category,lat,lon');
  const badAt = new Set();
  while (badAt.size < nBad) badAt.add(t.int(nGood + nBad));
  let k = 0;
  for (let i = 0; i < nGood + nBad; i++) {
    const rid = `${id}-${k++}`;
    if (badAt.has(i)) { const [text, reason] = t.pick(faults)(t, rid); pushRecord(b, text, 'bad', reason); }
    else pushRecord(b, goodRecord(t, rid), 'good');
  }
  return b;
}

function okCase(name, b, opts, eol = '\n', extra = {}) {
  const bom = extra.bom ? '\uFEFF' : '';
  return {
    name, content: bom + b.text(eol), opts,
    expect: { ok: true, kept: b.kept, duplicates: b.duplicates, rejects: b.rejects.sort((x, y) => x[0] - y[0]), ...extra.expect },
  };
}

const KINDS_IMPL = {
  'csv-mixed'(t, id) {
    const b = mixedCsv(t, id, FAULTS, 5 + t.int(30), 1 + t.int(8));
    return okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'id' }, t.int(4) === 0 ? '\r\n' : '\n', { bom: t.int(5) === 0 });
  },
  'csv-unterminated-quote'(t, id) {
    // the reproduction: one open quote, then many valid rows (some quoted) that must all survive
    const b = mixedCsv(t, id, [FAULTS[0]], 20 + t.int(150), 1 + t.int(3));
    return okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'id' });
  },
  'csv-epoch'(t, id) {
    const b = new CsvBuilder('id,time,category,lat,lon');
    const n = 5 + t.int(20);
    for (let i = 0; i < n; i++) {
      const rid = `${id}-${i}`;
      const r = t.int(8);
      const when = r === 0 ? ['8770000000000000', 'time-out-of-range'] : r === 1 ? ['-8770000000000000', 'time-out-of-range']
        : r === 2 ? [t.pick(['0x1F', '0b1', '1e400', '9'.repeat(400), 'NaN', '']), 'bad-date']
        : r === 3 ? ['-2208988800001', 'time-out-of-range'] // 1899-12-31T23:59:59.999Z
        : [String(1483228800000 + t.int(365 * 86_400) * 1000), null];
      const text = `${rid},${when[0]},${t.pick(CATS)},${t.lat()},${t.lon()}`;
      if (when[1]) pushRecord(b, text, 'bad', when[1]); else pushRecord(b, text, 'good');
    }
    return okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'id', timeFormat: 'epoch-ms' });
  },
  'csv-conflicting-ids'(t, id) {
    const b = new CsvBuilder('id,time,category,lat,lon');
    const rows = [];
    const n = 5 + t.int(20);
    for (let i = 0; i < n; i++) {
      const r = t.int(5);
      if (rows.length && r === 0) { pushRecord(b, t.pick(rows), 'dup'); continue; } // identical repeat
      if (rows.length && r === 1) { // same id, other content
        const [rid, time, , la, lo] = t.pick(rows).split(',');
        pushRecord(b, `${rid},${time},OTHER ${t.int(1000)},${la},${lo}`, 'bad', 'conflicting-duplicate');
        continue;
      }
      const text = `${id}-${i},${t.time()},${t.pick(CATS)},${t.lat()},${t.lon()}`;
      rows.push(text);
      pushRecord(b, text, 'good');
    }
    return okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'id' });
  },
  'csv-composite-ids'(t, id) {
    // ("x:y","z") and ("x","y:z") are two incidents, as are ("a\\","b") and ("a","\\b")
    const b = new CsvBuilder('a,b,time,category,lat,lon');
    const pairs = [['x:y', 'z'], ['x', 'y:z'], ['a\\', 'b'], ['a', '\\b'], ['p', ''], ['', 'p'], [`${id}`, '1'], [`${id}:1`, '']];
    for (const [p, q] of pairs) pushRecord(b, `${p},${q},${t.time()},${t.pick(CATS)},${t.lat()},${t.lon()}`, 'good');
    return okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'a,b' }, '\n', { expect: { distinctIds: pairs.length } });
  },
  'csv-encoding'(t, id) {
    // Latin-1 bytes (é = 0xE9) read as UTF-8 are replaced and counted; read as windows-1252 they are exact
    const b = new CsvBuilder('id,time,category,lat,lon');
    const n = 3 + t.int(10);
    let accents = 0;
    for (let i = 0; i < n; i++) {
      const k = t.int(3);
      accents += k + 1;
      pushRecord(b, `${id}-${i},${t.time()},VOL${' AGGRAV\u00c9'.repeat(k)} \u00e9,${t.lat()},${t.lon()}`, 'good');
    }
    const asLatin1 = Uint8Array.from(b.text(), (ch) => ch.charCodeAt(0) & 0xff);
    const declared = t.int(2) === 0;
    const c = okCase(`${id}.csv`, b, { ...GENERIC, idCol: 'id', ...(declared ? { encoding: 'windows-1252' } : {}) });
    c.content = asLatin1;
    c.expect.replaced = declared ? 0 : accents;
    c.expect.replacedRows = declared ? 0 : n;
    return c;
  },
  'geojson-dunder'(t, id) {
    const n = 3 + t.int(10);
    const features = [];
    for (let i = 0; i < n; i++) {
      const props = { id: `${id}-${i}`, time: t.time(), category: t.pick(CATS) };
      if (t.int(2)) { props.__lat = t.pick([0, '0x29', null, { x: 1 }, 'bad']); props.__lon = t.pick([0, 181, 'x']); }
      features.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [Number(t.lon()), Number(t.lat())] } });
    }
    return geo(id, features, n, [], { idCol: 'id' });
  },
  'geojson-deep'(t, id) {
    const n = 3 + t.int(8);
    const features = [];
    const rejects = [];
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const f = { type: 'Feature', properties: { time: t.time(), category: t.pick(CATS) }, geometry: { type: 'Point', coordinates: [Number(t.lon()), Number(t.lat())] } };
      const r = t.int(4);
      if (r === 0) { f.properties.blob = '['.repeat(10_000) + ']'.repeat(10_000); f.__deep = true; rejects.push([i + 1, 'nested-too-deep']); }
      else if (r === 1) { f.geometry.coordinates = [deepArray(5000), Number(t.lat())]; f.__deep = true; rejects.push([i + 1, 'nested-too-deep']); }
      else kept++;
      features.push(f);
    }
    return geo(id, features, kept, rejects, {});
  },
  'geojson-many-keys'(t, id) {
    // 30,000 distinct property keys over 10 features: only the used columns may be materialised
    const features = [];
    for (let i = 0; i < 10; i++) {
      const props = { time: t.time(), category: t.pick(CATS) };
      for (let k = 0; k < 3000; k++) props[`k${i}_${k}`] = k;
      features.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [Number(t.lon()), Number(t.lat())] } });
    }
    return geo(id, features, 10, [], {});
  },
  'parquet-broken'(t, id) {
    const bytes = t.pick([
      () => new Uint8Array(0),
      () => new TextEncoder().encode('PAR1'),
      () => new TextEncoder().encode('PAR1' + 'x'.repeat(100 + t.int(1000)) + 'PAR1'),
      () => Uint8Array.from({ length: 10 + t.int(2000) }, () => t.int(256)),
      () => new TextEncoder().encode('id,time,category,lat,lon\n1,2017-01-01 00:00,THEFT,41.8,-87.6\n'),
    ])();
    return { name: `${id}.parquet`, content: bytes, opts: { ...GENERIC }, expect: { ok: false, error: /Parquet/ } };
  },
  'empty-file'(t, id) {
    return { name: `${id}.${t.pick(['csv', 'geojson'])}`, content: '', opts: { ...GENERIC }, expect: { ok: false, error: /empty|not valid JSON/ } };
  },
  'directory'(t, id) {
    return { name: `${id}.${t.pick(['csv', 'geojson', 'parquet'])}`, directory: true, opts: { ...GENERIC }, expect: { ok: false, error: /directory/ } };
  },
  'tz-conflict'(t, id) {
    // the dataset already holds Chicago times; this file says UTC: refused, the store keeps its first file only
    const first = mixedCsv(t, `${id}a`, FAULTS, 3 + t.int(5), 0);
    const b = mixedCsv(t, id, FAULTS, 3 + t.int(5), 0);
    return {
      name: `${id}.csv`, content: b.text(), opts: { ...GENERIC, idCol: 'id', tz: t.pick(['UTC', 'America/New_York']) },
      before: { name: `${id}-first.csv`, content: first.text(), opts: { ...GENERIC, idCol: 'id' }, kept: first.kept },
      expect: { ok: false, error: /holds times in America\/Chicago/ },
    };
  },
  'rejects-unwritable'(t, id) {
    const b = mixedCsv(t, id, FAULTS, 3 + t.int(5), 1 + t.int(3));
    return { name: `${id}.csv`, content: b.text(), opts: { ...GENERIC, idCol: 'id' }, rejectsPath: t.pick(['under-a-file', '/dev/full']), expect: { ok: false, error: /rejects file/ } };
  },
  'disk-full'(t, id) {
    // a write error while staging, as a full disk raises it: a clear error, nothing committed
    const b = mixedCsv(t, id, FAULTS, 3 + t.int(5), 0);
    return { name: `${id}.csv`, content: b.text(), opts: { ...GENERIC, idCol: 'id' }, diskFull: true, expect: { ok: false, error: /ENOSPC/ } };
  },
  'too-many-categories'(t, id) {
    const lines = ['time,category,lat,lon'];
    for (let i = 0; i < 65_537; i++) lines.push(`2017-01-01 00:00,C${i},41.8,-87.6`);
    return { name: `${id}.csv`, content: lines.join('\n') + '\n', opts: { ...GENERIC, latCol: 'lat' }, expect: { ok: false, error: /65,536 distinct categories/ } };
  },
};

function deepArray(d) {
  let a = [1];
  for (let i = 0; i < d; i++) a = [a];
  return a;
}

function geo(id, features, kept, rejects, opts) {
  // deep values are written as text: JSON.stringify would overflow the generator's own stack
  const parts = features.map((f) => {
    if (!f.__deep) return JSON.stringify(f);
    const { __deep, ...g } = f;
    if (typeof g.properties.blob === 'string') {
      const blob = g.properties.blob;
      delete g.properties.blob;
      return JSON.stringify(g).replace('"properties":{', `"properties":{"blob":${blob},`);
    }
    const depth = 5000;
    const lat = g.geometry.coordinates[1];
    g.geometry.coordinates = ['@DEEP@', lat];
    return JSON.stringify(g).replace('"@DEEP@"', '['.repeat(depth + 1) + '1' + ']'.repeat(depth + 1));
  });
  const content = `{"type":"FeatureCollection","features":[${parts.join(',\n')}]}`;
  return {
    name: `${id}.geojson`, content, opts: { timeCol: 'time', categoryCol: 'category', tz: TZ, bbox: BOX, ...opts },
    expect: { ok: true, kept, duplicates: 0, rejects },
  };
}
