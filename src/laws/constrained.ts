import { UserError } from '../errors.js';
import type { Law } from './law.js';

/** Fit controls that change what θ the optimiser moves: constants held at a value, pairs of constants tied. */
export interface Constraints {
  /** Reported constants held at a value (`{E: 1.69}`), by public name. */
  fix?: Readonly<Record<string, number>>;
  /** Pairs of reported constants that share one fitted value (`[['alpha', 'beta']]`). */
  tie?: readonly (readonly [string, string])[];
}

/** A law whose θ holds only the free entries of a base law's θ. */
export interface ConstrainedLaw<F = unknown> extends Law<F> {
  readonly base: Law<F>;
  readonly constraints: Constraints;
  /** Reported constants that are not fitted (fixed), in the base law's order. */
  readonly fixedNames: readonly string[];
  /** The full θ of the base law from a free θ (a new array). */
  full(theta: Float64Array): Float64Array;
  /** The free θ from a full θ of the base law (a tied group takes its first entry's value). */
  free(theta: Float64Array): Float64Array;
}

/** True when the constraints hold nothing and tie nothing: the base law is the law. */
export function isUnconstrained(c: Constraints | undefined): boolean {
  return !c || ((c.fix === undefined || Object.keys(c.fix).length === 0) && (c.tie === undefined || c.tie.length === 0));
}

/**
 * A reference point of the law's public constants, from its first start: the constants a probe perturbs
 * one at a time to find which θ entry each of them is.
 */
function reference(law: Law<unknown>): Record<string, number> {
  return law.toPublic(law.starts('default')[0]!);
}

function fromPublicOf(law: Law<unknown>): (p: Readonly<Record<string, number>>) => Float64Array {
  if (!law.fromPublic) throw new UserError(`the ${law.name} law cannot hold its constants fixed or tied (it has no map from its constants to θ)`);
  return law.fromPublic;
}

/**
 * The θ entry that a reported constant is (chinchilla: E is θ entry 2, log E). Found by perturbing the
 * constant alone through `fromPublic`: exactly one entry of θ must move, else the constant is not one entry
 * of θ and cannot be held on its own.
 */
export function constantIndex(law: Law<unknown>, name: string): number {
  if (!law.publicNames.includes(name)) {
    throw new UserError(`unknown constant "${name}" of the ${law.name} law (constants: ${law.publicNames.join(', ')})`);
  }
  const fromPublic = fromPublicOf(law);
  const ref = reference(law);
  const v = ref[name]!;
  const a = fromPublic(ref);
  const b = fromPublic({ ...ref, [name]: v === 0 ? 0.5 : v * 1.25 });
  const moved: number[] = [];
  for (let j = 0; j < a.length; j++) if (Math.abs(a[j]! - b[j]!) > 1e-12 * (1 + Math.abs(a[j]!))) moved.push(j);
  if (moved.length !== 1) throw new UserError(`the ${law.name} law cannot hold ${name} on its own: it is not one entry of θ`);
  return moved[0]!;
}

/** The value of θ entry `constantIndex(law, name)` that holds the constant at `value`; refuses a value the law cannot take. */
export function heldTheta(law: Law<unknown>, name: string, value: number): number {
  const j = constantIndex(law, name);
  const x = fromPublicOf(law)({ ...reference(law), [name]: value })[j]!;
  if (!Number.isFinite(x)) {
    throw new UserError(
      value <= 0 ? `${name} must be > 0 for the ${law.name} law (it fits log ${name})` : `${name} = ${value} is not a value the ${law.name} law can take`,
    );
  }
  return x;
}

/** Refuses a tie of two constants that θ holds on different scales (log E against α would tie log E = α). */
function checkSameScale(law: Law<unknown>, a: string, b: string, ja: number, jb: number): void {
  const fromPublic = fromPublicOf(law);
  const ref = reference(law);
  for (const v of [0.3, 2]) {
    const xa = fromPublic({ ...ref, [a]: v })[ja]!;
    const xb = fromPublic({ ...ref, [b]: v })[jb]!;
    if (!(Math.abs(xa - xb) <= 1e-12 * (1 + Math.abs(xa)))) {
      throw new UserError(`cannot tie ${a} to ${b}: the ${law.name} law fits them on different scales`);
    }
  }
}

/**
 * The law with some constants fixed and some tied: its θ holds one entry per free group of the base θ (a
 * tied pair is one group), in the base order. `predict` fills the full θ and sums the Jacobian columns of
 * each group (chain rule: dL̂/dθ_free = Σ over the group's entries of dL̂/dθ_base); fixed entries have no
 * column. `toPublic` reports every constant, the fixed ones included; `allocate`, `chinchilla` and
 * `optimalM` see the full θ.
 */
export function constrainedLaw<F>(law: Law<F>, c: Constraints): ConstrainedLaw<F> {
  const p = law.thetaNames.length;
  const fixedValue = new Float64Array(p);
  const isFixed = new Uint8Array(p);
  const fixedNames: string[] = [];
  for (const [name, value] of Object.entries(c.fix ?? {})) {
    const j = constantIndex(law as Law<unknown>, name);
    if (isFixed[j]) throw new UserError(`${name} is fixed twice`);
    isFixed[j] = 1;
    fixedValue[j] = heldTheta(law as Law<unknown>, name, value);
  }
  for (const name of law.publicNames) if (isFixed[constantIndex(law as Law<unknown>, name)]) fixedNames.push(name);

  // Ties: union-find over the θ entries.
  const parent = Array.from({ length: p }, (_, j) => j);
  const root = (j: number): number => {
    while (parent[j] !== j) j = parent[j]!;
    return j;
  };
  for (const [a, b] of c.tie ?? []) {
    if (a === b) throw new UserError(`cannot tie ${a} to itself`);
    const ja = constantIndex(law as Law<unknown>, a);
    const jb = constantIndex(law as Law<unknown>, b);
    for (const [name, j] of [
      [a, ja],
      [b, jb],
    ] as const) {
      if (isFixed[j]) throw new UserError(`cannot tie ${a} to ${b}: ${name} is fixed`);
    }
    checkSameScale(law as Law<unknown>, a, b, ja, jb);
    const ra = root(ja),
      rb = root(jb);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  // Free groups, ordered by their first θ entry.
  const groups: number[][] = [];
  const groupOf = new Int32Array(p).fill(-1);
  for (let j = 0; j < p; j++) {
    if (isFixed[j]) continue;
    const r = root(j);
    if (groupOf[r] === -1) {
      groupOf[r] = groups.length;
      groups.push([]);
    }
    groupOf[j] = groupOf[r]!;
    groups[groupOf[j]!]!.push(j);
  }
  if (groups.length === 0) throw new UserError(`every constant of the ${law.name} law is fixed: nothing is left to fit`);
  const q = groups.length;

  const expandInto = (theta: Float64Array, out: Float64Array) => {
    for (let j = 0; j < p; j++) out[j] = isFixed[j] ? fixedValue[j]! : theta[groupOf[j]!]!;
  };
  const full = (theta: Float64Array) => {
    const out = new Float64Array(p);
    expandInto(theta, out);
    return out;
  };
  const free = (theta: Float64Array) => Float64Array.from(groups, (g) => theta[g[0]!]!);

  // Buffers reused across calls: predict runs once per optimiser step and must not allocate.
  const fullTheta = new Float64Array(p);
  let fullJac = new Float64Array(0);
  const plausible = law.plausible ? Object.fromEntries(Object.entries(law.plausible).filter(([k]) => !fixedNames.includes(k))) : undefined;
  const fromPublic = law.fromPublic?.bind(law);

  return {
    base: law,
    constraints: c,
    fixedNames,
    full,
    free,
    name: law.name,
    formula: law.formula,
    thetaNames: groups.map((g) => g.map((j) => law.thetaNames[j]!).join('=')),
    publicNames: law.publicNames,
    ...(plausible ? { plausible } : {}),
    prepare: (runs) => law.prepare(runs),
    predict(theta, features, out, jac) {
      expandInto(theta, fullTheta);
      if (!jac) {
        law.predict(fullTheta, features, out);
        return;
      }
      const n = jac.length / q;
      if (fullJac.length < n * p) fullJac = new Float64Array(n * p);
      law.predict(fullTheta, features, out, fullJac);
      jac.fill(0, 0, n * q);
      for (let i = 0; i < n; i++) {
        const r = i * p,
          s = i * q;
        for (let j = 0; j < p; j++) {
          const g = groupOf[j]!;
          if (g >= 0) jac[s + g]! += fullJac[r + j]!;
        }
      }
    },
    starts(grid) {
      const seen = new Set<string>();
      const out: Float64Array[] = [];
      for (const s of law.starts(grid)) {
        const x = free(s);
        const key = x.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(x);
      }
      return out;
    },
    // A fixed constant is reported as given (exp(log 1.7) need not be 1.7 to the last bit).
    toPublic: (theta) => ({ ...law.toPublic(full(theta)), ...c.fix }),
    ...(fromPublic ? { fromPublic: (params: Readonly<Record<string, number>>) => free(fromPublic(params)) } : {}),
    ...(law.allocate ? { allocate: (theta: Float64Array) => law.allocate!(full(theta)) } : {}),
    ...(law.chinchilla ? { chinchilla: (theta: Float64Array) => law.chinchilla!(full(theta)) } : {}),
    ...(law.optimalM ? { optimalM: (theta: Float64Array) => law.optimalM!(full(theta)) } : {}),
  };
}
