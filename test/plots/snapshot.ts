// SVG snapshots, normalised as Observable Plot's own tests do: numbers rounded to 3 significant digits and
// ids renumbered, so a change in the last float digit does not fail a test but a moved mark does.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/cli.js';

const dir = join(root, 'test/plots/__snapshots__');

export function normaliseSvg(svg: string): string {
  const ids = new Map<string, string>();
  const renumber = (id: string) => {
    const known = ids.get(id);
    if (known !== undefined) return known;
    ids.set(id, `id-${ids.size + 1}`);
    return ids.get(id)!;
  };
  return (
    svg
      .replace(/id="([^"]+)"/g, (_, id: string) => `id="${renumber(id)}"`)
      .replace(/#([A-Za-z][\w-]*-\d+)\b/g, (m, id: string) => (ids.has(id) ? `#${ids.get(id)}` : m))
      // Hex colours pass through untouched; every other number is rounded.
      .replace(/#[0-9a-fA-F]{3,8}\b|-?\d*\.?\d+(?:e[+-]?\d+)?/g, (m) => {
        if (m.startsWith('#')) return m;
        const v = Number(m);
        return Number.isFinite(v) ? String(Number(v.toPrecision(3))) : m;
      })
      .replace(/>\s*</g, '>\n<')
  );
}

/** Compares with test/plots/__snapshots__/NAME.svg; `UPDATE_SNAPSHOTS=1` rewrites it. */
export function matchSnapshot(name: string, svg: string): void {
  const file = join(dir, `${name}.svg`);
  const actual = normaliseSvg(svg);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${file}: run with UPDATE_SNAPSHOTS=1 to create it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name}.svg differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites it after checking the change)`);
}
