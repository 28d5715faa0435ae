// The streaming CSV/TSV reader (src/data/delimited.ts) against csv-parse (the reader it replaces, kept in
// parse.ts for the files it gives up on): on random tables with every quoting hazard, cut into chunks of
// random size, both give the same table — or the streaming reader gives up and the error is csv-parse's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDelimited } from '../../src/data/delimited.js';
import { delimitedByCsvParse, parseTable } from '../../src/data/parse.js';
import { Random } from '../../src/stats/random.js';
import { textCell } from '../../src/data/row-values.js';

/** The few draws the generator needs, on the project's seeded generator. */
class Draw {
  private readonly rng: Random;
  constructor(seed: number) {
    this.rng = new Random(seed, 7);
  }
  uniform(): number {
    return this.rng.uniform();
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.rng.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }
}

const pieces = ['a', 'b', ' ', '1', '0.5', '1e+21', '007', '-0', 'é', '€', '😀', ',', '\t', '"', '""', '\n', '\r', '\r\n', 'x"y', '__proto__', ''];

/** A random delimited text: mostly well-formed quoting, sometimes raw quotes and line breaks, blank lines, a BOM. */
function randomText(rng: Draw, d: string): string {
  const cols = 1 + Math.floor(rng.uniform() * 4);
  const rows = Math.floor(rng.uniform() * 8);
  const eol = () => rng.pick(['\n', '\r\n', '\r']);
  const cell = () => {
    let v = '';
    const k = Math.floor(rng.uniform() * 3);
    for (let i = 0; i < k; i++) v += rng.pick(pieces);
    if (rng.chance(0.05)) return v; // raw: quotes and line breaks land as they are
    return v.includes(d) || v.includes('"') || /[\r\n]/.test(v) || rng.chance(0.1) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  const lines: string[] = [];
  for (let r = 0; r <= rows; r++) {
    const n = rng.chance(0.05) ? cols + 1 : cols;
    lines.push(Array.from({ length: n }, (_, j) => (r === 0 ? `h${j}${rng.chance(0.03) ? '' : j}` : cell())).join(d));
    if (rng.chance(0.1)) lines.push('');
  }
  let text = lines.map((l) => l + eol()).join('');
  if (rng.chance(0.3)) text = text.slice(0, -1);
  if (rng.chance(0.1)) text = `\uFEFF${text}`;
  return text;
}

function viaCsvParse(text: string, d: string): unknown {
  try {
    return delimitedByCsvParse('t.csv', new TextDecoder().decode(new TextEncoder().encode(text)), d);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

test('the streaming reader reads what csv-parse reads, whatever the chunking; else it gives up', () => {
  let read = 0,
    gaveUp = 0;
  for (let seed = 0; seed < 1500; seed++) {
    const rng = new Draw(seed);
    const d = rng.chance(0.7) ? ',' : '\t';
    const text = randomText(rng, d);
    const bytes = new TextEncoder().encode(text);
    const expected = viaCsvParse(text, d);
    const chunk = 1 + Math.floor(rng.uniform() * 12);
    const got = readDelimited('t.csv', bytes, d as ',' | '\t', chunk);
    if (got === undefined) {
      gaveUp++;
      // Giving up is only for files that are an error (csv-parse's, or a ragged row, a repeated header, no header).
      assert.ok((expected as { error?: string }).error !== undefined, `seed ${seed}: ${JSON.stringify(text)}`);
      continue;
    }
    read++;
    assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(expected)), `seed ${seed}: ${JSON.stringify(text)}`);
  }
  assert.ok(read > 500 && gaveUp > 50, `read ${read}, gave up ${gaveUp}`);
});

test('well-formed files are never handed to csv-parse', () => {
  const text = 'N,"a,b",c\r\n1,"x\n""y""",  7 \n\n2,,"€😀"\r3,4,5';
  for (let chunk = 1; chunk <= text.length + 1; chunk++) {
    const t = readDelimited('t.csv', new TextEncoder().encode(text), ',', chunk);
    assert.ok(t, `chunk ${chunk}`);
    assert.deepEqual(t.columns, ['N', 'a,b', 'c']);
    assert.deepEqual(
      t.rows.map((r) => [r.origin.row, ...t.columns.map((c) => r.values[c])]),
      [
        [1, 1, 'x\n"y"', 7],
        [2, 2, null, '€😀'],
        [3, 3, 4, 5],
      ],
    );
  }
});

test('a cell is held as a number only when it is exactly how JavaScript writes that number', () => {
  for (const s of ['12', '-3.5', '0.1', '1e+21', '1e-7', '6000000000', '0']) assert.equal(textCell(s), Number(s), s);
  for (const s of ['007', '1e9', '6e9', '1.50', '-0', '+1', '.5', '0x10', 'NaN', 'Infinity', 'true', '1,5', '4e-324', '00', '0.0', '1.', '1e+021'])
    assert.equal(textCell(s), s, s);
  assert.equal(textCell(''), null);
  // Against the definition itself, on numbers of every magnitude as JavaScript writes them and on near misses.
  const rng = new Draw(3);
  for (let k = 0; k < 20000; k++) {
    const x = (rng.chance(0.5) ? -1 : 1) * 10 ** (rng.uniform() * 660 - 330) * (rng.chance(0.3) ? 1 : rng.uniform());
    const digits = 1 + Math.floor(rng.uniform() * 17);
    const written = rng.pick([String(x), x.toPrecision(digits), String(Number(x.toPrecision(digits))), x.toExponential(digits - 1), x.toFixed(3)]);
    const s = rng.chance(0.1) ? written.replace(/e\+?/, rng.pick(['e', 'E', 'e+0', 'e-'])) : written;
    assert.equal(textCell(s), String(Number(s)) === s && Number.isFinite(Number(s)) ? Number(s) : s, s);
  }
});

test('rows share one shape and keep odd column names as columns', async () => {
  const t = await parseTable('t.csv', new TextEncoder().encode('__proto__,toString,N\n1,x,2\n3,y,4\n'));
  assert.deepEqual(Object.keys(t.rows[0]!.values), ['__proto__', 'toString', 'N']);
  assert.equal(Object.getOwnPropertyDescriptor(t.rows[1]!.values, '__proto__')?.value, 3);
  assert.deepEqual({ ...t.rows[0]!.values }, JSON.parse('{"__proto__":1,"toString":"x","N":2}'));
  assert.equal('constructor' in t.rows[0]!.values, false);
});
