// goldenSection (src/optim/golden-section.ts): the minimum of a unimodal function, its stopping rules and its ties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goldenSection } from '../src/optim/golden-section.js';

test('goldenSection finds the minimum of a parabola to the tolerance, f(x) returned with x', () => {
  const f = (x: number) => (x - 1.3) ** 2;
  const r = goldenSection(f, { lo: -4, hi: 5, maxIterations: 300, tolerance: 1e-13 });
  assert.ok(Math.abs(r.x - 1.3) < 1e-7);
  assert.equal(r.fx, f(r.x));
});

test('goldenSection stops at the iteration cap; a fixed scale sets the tolerance absolutely', () => {
  let calls = 0;
  const f = (x: number) => {
    calls++;
    return Math.abs(x);
  };
  goldenSection(f, { lo: -1, hi: 2, maxIterations: 5, tolerance: 0 });
  assert.equal(calls, 2 + 5);
  calls = 0;
  // b − a = 3 ≤ 1 · 3: no step at all.
  goldenSection(f, { lo: -1, hi: 2, maxIterations: 100, tolerance: 1, scale: 3 });
  assert.equal(calls, 2);
});

test('goldenSection ties: left keeps the left part and returns x1, right keeps the right part and returns x2', () => {
  const flat = () => 0;
  const left = goldenSection(flat, { lo: 0, hi: 1, maxIterations: 60, tolerance: 1e-12 });
  const right = goldenSection(flat, { lo: 0, hi: 1, maxIterations: 60, tolerance: 1e-12, ties: 'right' });
  assert.ok(left.x < 1e-9);
  assert.ok(right.x > 1 - 1e-9);
});
