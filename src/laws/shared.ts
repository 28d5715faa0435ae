import { subsetRuns, type Runs } from '../data/runs.js';
import { UserError } from '../errors.js';
import { constantIndex } from './constrained.js';
import type { Law, StartGrid } from './law.js';
import { lawByName } from './registry.js';

/**
 * One law fitted jointly to several groups of runs (datamixes, architectures): the constants in `shared`
 * take one value for every group, the others one value per group (OLMo-core's `fit_chinchilla_shared_E`;
 * Brandfonbrener et al. fit E per validation set and the exponents across). Run i belongs to group
 * `runs.group.of[i]`.
 *
 * θ holds the shared entries of the base θ first, in the base order, then each group's own entries (group 0's,
 * group 1's, …). A reported constant is its base name when shared (`E`) and `NAME[group]` otherwise (`A[web]`).
 */
export interface SharedLaw<F = unknown> extends Law<SharedFeatures<F>> {
  readonly base: Law<F>;
  /** The groups, in the order of their θ blocks. */
  readonly groups: readonly string[];
  /** Base constants that are shared, in the base order. */
  readonly shared: readonly string[];
  /** The base law's θ of group g (a new array). */
  groupTheta(theta: Float64Array, g: number): Float64Array;
  /** Row-major joint θ rows (bootstrap draws) as group g's base θ rows. */
  groupRows(rows: Float64Array, g: number): Float64Array;
  /** The reported names a base constant stands for: itself when shared, one per group otherwise. */
  namesOf(base: string): string[];
  /** The joint θ of one base θ per group, each shared entry at the groups' mean. */
  join(thetas: readonly Float64Array[]): Float64Array;
}

/** Per group: the runs' positions in the whole table and the base law's features of those runs. */
export interface SharedFeatures<F> {
  n: number;
  parts: { index: Int32Array; features: F; out: Float64Array; jac: Float64Array }[];
}

/** A group's reported name of a per-group constant. */
export function groupConstant(name: string, group: string): string {
  return `${name}[${group}]`;
}

/**
 * The base law fitted jointly across `groups` with the constants `shared` in common. `extraStarts` are tried
 * before the base grid's starts (each base start is used for every group at once): e.g. the separate per-group
 * fits, which put every group near its own basin.
 */
export function sharedLaw<F>(base: Law<F>, groups: readonly string[], shared: readonly string[], extraStarts: readonly Float64Array[] = []): SharedLaw<F> {
  if (groups.length === 0) throw new UserError('a joint fit needs at least one group');
  const p = base.thetaNames.length;
  const isShared = new Uint8Array(p);
  for (const name of shared) {
    const j = constantIndex(base as Law<unknown>, name);
    if (isShared[j]) throw new UserError(`${name} is shared twice`);
    isShared[j] = 1;
  }
  const sharedNames = base.publicNames.filter((k) => isShared[constantIndex(base as Law<unknown>, k)]);
  const own: number[] = [];
  const common: number[] = [];
  for (let j = 0; j < p; j++) (isShared[j] ? common : own).push(j);
  const G = groups.length;
  // column[g][j]: where base entry j of group g sits in the joint θ.
  const column = groups.map((_, g) => {
    const c = new Int32Array(p);
    common.forEach((j, k) => {
      c[j] = k;
    });
    own.forEach((j, k) => {
      c[j] = common.length + g * own.length + k;
    });
    return c;
  });
  const q = common.length + G * own.length;
  const thetaNames = [...common.map((j) => base.thetaNames[j]!), ...groups.flatMap((g) => own.map((j) => groupConstant(base.thetaNames[j]!, g)))];
  const isSharedName = (k: string) => sharedNames.includes(k);
  const publicNames = [...sharedNames, ...groups.flatMap((g) => base.publicNames.filter((k) => !isSharedName(k)).map((k) => groupConstant(k, g)))];

  const groupTheta = (theta: Float64Array, g: number) => {
    const out = new Float64Array(p);
    const c = column[g]!;
    for (let j = 0; j < p; j++) out[j] = theta[c[j]!]!;
    return out;
  };
  const join = (thetas: readonly Float64Array[]) => {
    const out = new Float64Array(q);
    thetas.forEach((t, g) => {
      const c = column[g]!;
      for (let j = 0; j < p; j++) out[c[j]!]! += isShared[j] ? t[j]! / G : t[j]!;
    });
    return out;
  };
  const plausible = base.plausible
    ? Object.fromEntries(
        Object.entries(base.plausible).flatMap(([k, range]) => (isSharedName(k) ? [[k, range]] : groups.map((g) => [groupConstant(k, g), range]))),
      )
    : undefined;
  // Buffers reused across calls: predict runs once per optimiser step and must not allocate.
  const thetaG = new Float64Array(p);

  return {
    base,
    groups,
    shared: sharedNames,
    groupTheta,
    groupRows(rows, g) {
      const B = rows.length / q;
      const out = new Float64Array(B * p);
      for (let i = 0; i < B; i++) out.set(groupTheta(rows.subarray(i * q, i * q + q), g), i * p);
      return out;
    },
    join,
    namesOf: (k) => (isSharedName(k) ? [k] : groups.map((g) => groupConstant(k, g))),
    name: base.name,
    formula: base.formula,
    thetaNames,
    publicNames,
    ...(plausible ? { plausible } : {}),
    prepare(runs: Runs) {
      const of = runs.group?.of;
      if (!of) throw new RangeError('a joint fit needs runs with groups');
      const index = groups.map(() => [] as number[]);
      for (let i = 0; i < of.length; i++) index[of[i]!]!.push(i);
      const parts = index.map((ix) => {
        const sub = subsetRuns(runs, ix);
        return { index: Int32Array.from(ix), features: base.prepare(sub), out: new Float64Array(ix.length), jac: new Float64Array(ix.length * p) };
      });
      return { n: of.length, parts };
    },
    predict(theta, f, out, jac) {
      if (jac) jac.fill(0, 0, f.n * q);
      f.parts.forEach((part, g) => {
        if (part.index.length === 0) return;
        const c = column[g]!;
        for (let j = 0; j < p; j++) thetaG[j] = theta[c[j]!]!;
        base.predict(thetaG, part.features, part.out, jac ? part.jac : undefined);
        const { index } = part;
        for (let k = 0; k < index.length; k++) {
          const i = index[k]!;
          out[i] = part.out[k]!;
          if (jac) for (let j = 0; j < p; j++) jac[i * q + c[j]!]! += part.jac[k * p + j]!;
        }
      });
    },
    starts(grid: StartGrid) {
      return [...extraStarts, ...base.starts(grid).map((s) => join(groups.map(() => s)))];
    },
    toPublic(theta) {
      const out: Record<string, number> = {};
      groups.forEach((g, k) => {
        const pub = base.toPublic(groupTheta(theta, k));
        for (const name of base.publicNames) out[isSharedName(name) ? name : groupConstant(name, g)] = pub[name]!;
      });
      // In publicNames' order.
      return Object.fromEntries(publicNames.map((k) => [k, out[k]!]));
    },
    ...(base.fromPublic
      ? {
          fromPublic(params: Readonly<Record<string, number>>) {
            return join(
              groups.map((g) => base.fromPublic!(Object.fromEntries(base.publicNames.map((k) => [k, params[isSharedName(k) ? k : groupConstant(k, g)]!])))),
            );
          },
        }
      : {}),
  };
}

/**
 * The law a fit of these runs uses: the named law, or, when the runs carry groups, that law fitted jointly
 * across them with `shared` in common (a bootstrap task names the law and its shared constants; its runs carry
 * the groups).
 */
export function lawForRuns(name: string, runs: Pick<Runs, 'group'>, shared: readonly string[] = []): Law<unknown> {
  const base = lawByName(name);
  return runs.group ? sharedLaw(base, runs.group.names, shared) : base;
}
