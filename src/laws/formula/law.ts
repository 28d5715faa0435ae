import type { Runs } from '../../data/runs.js';
import { optionRef, UserError } from '../../errors.js';
import { cartesian, type Features, type Law, type StartGrid } from '../law.js';
import { compile, type Program, type Scale, type Workspace } from './compile.js';
import { functionNames, parseFormula, type Node } from './parse.js';

/** The variables a formula may use besides its columns: parameters, tokens, compute, tokens per parameter, unique tokens. */
export const formulaVariables = ['N', 'D', 'C', 'M', 'U'] as const;
type Variable = (typeof formulaVariables)[number];

/** What a constant does in the formula, which chooses its default starts. */
export type ConstantRole = 'exponent' | 'term' | 'coefficient';

/** A formula law: the Law, and what its formula reads. */
export interface FormulaLaw extends Law<FormulaFeatures> {
  readonly kind: 'formula';
  /** The constants, in order of first appearance (θ's order). */
  readonly constants: readonly string[];
  /** Each constant's scale in θ: `log` (θ = log c, c > 0) or `linear`. */
  readonly scales: readonly Scale[];
  readonly roles: readonly ConstantRole[];
  /** Variables (`N`, `D`, …) and columns (by name) the formula reads. */
  readonly variables: readonly Variable[];
  readonly columns: readonly string[];
  /** Start values per constant (public scale), crossed into the start grid. */
  readonly startValues: Readonly<Record<string, readonly number[]>>;
}

/** Whether `law` is a formula law (`--law 'FORMULA'`). */
export function isFormulaLaw(law: Law<unknown>): law is FormulaLaw {
  return (law as Partial<FormulaLaw>).kind === 'formula';
}

export interface FormulaFeatures extends Features {
  ws: Workspace;
}

/** Options of {@link formulaLaw}. */
export interface FormulaOptions {
  /** Start values by constant (`--start alpha=0.3,0.5`); the others keep their default lists. */
  starts?: Readonly<Record<string, readonly number[]>>;
  /** Constants fitted as they are whatever their role: a saved fit's θ names say which (`E`, not `log_E`). */
  linear?: readonly string[];
}

/**
 * A law from a formula (`E + A*N^-alpha + B*D^-beta`): N, D, C, M = D/N and U are the run's variables, a
 * backquoted name (`` `lr` ``) is a column of the run table, and every other name is a constant to fit.
 *
 * θ has one entry per constant, in order of first appearance. A constant is fitted in log space (θ = log c, so
 * it stays positive, as the built-in laws fit A, B and E) unless it appears in an exponent (the right of `^`,
 * or inside `exp(…)`), or a start given for it is ≤ 0: those are fitted as they are.
 */
export function formulaLaw(text: string, options: FormulaOptions = {}): FormulaLaw {
  const tree = parseFormula(text);
  const constants: string[] = [];
  const inExponent = new Set<string>();
  const variables: Variable[] = [];
  const columns: string[] = [];
  const termConstants = new Set<string>();
  const walk = (t: Node, exponent: boolean) => {
    switch (t.kind) {
      case 'number':
        return;
      case 'column':
        if (!columns.includes(t.name)) columns.push(t.name);
        return;
      case 'name':
        if ((formulaVariables as readonly string[]).includes(t.name)) {
          if (!variables.includes(t.name as Variable)) variables.push(t.name as Variable);
          return;
        }
        if ((functionNames as readonly string[]).includes(t.name)) {
          throw new UserError(`at ${t.at + 1}: "${t.name}" is a function: write ${t.name}(…) ('${text}')`);
        }
        if (!constants.includes(t.name)) constants.push(t.name);
        if (exponent) inExponent.add(t.name);
        return;
      case 'neg':
        return walk(t.arg, exponent);
      case 'call':
        return walk(t.arg, exponent || t.fn === 'exp');
      case 'binary':
        walk(t.left, exponent);
        walk(t.right, exponent || t.op === '^');
    }
  };
  walk(tree, false);
  // Constants that are a term of the top-level sum on their own (E in E + A*N^-alpha): an irreducible loss.
  const terms = (t: Node): void => {
    if (t.kind === 'binary' && (t.op === '+' || t.op === '-')) {
      terms(t.left);
      terms(t.right);
    } else if (t.kind === 'name') termConstants.add(t.name);
  };
  terms(tree);
  if (constants.length === 0)
    throw new UserError(`the formula has no constant to fit (every name in it is a variable: ${formulaVariables.join(', ')}) ('${text}')`);
  if (variables.length === 0 && columns.length === 0) {
    throw new UserError(`the formula depends on no variable (${formulaVariables.join(', ')}) and no \`column\`: it is one number for every run ('${text}')`);
  }

  const given = options.starts ?? {};
  for (const name of Object.keys(given)) {
    if (!constants.includes(name)) throw new UserError(`${optionRef('start')} ${name}: not a constant of the formula (constants: ${constants.join(', ')})`);
  }
  const roles: ConstantRole[] = constants.map((k) => (inExponent.has(k) ? 'exponent' : termConstants.has(k) ? 'term' : 'coefficient'));
  const linear = new Set(options.linear ?? []);
  const scales: Scale[] = constants.map((k, j) => (roles[j] === 'exponent' || linear.has(k) || (given[k] ?? []).some((v) => v <= 0) ? 'linear' : 'log'));
  const startValues: Record<string, readonly number[]> = Object.fromEntries(constants.map((k, j) => [k, given[k] ?? defaultStarts(roles[j]!, roles)]));
  // A formula of many constants: the last defaults shrink to their middle value until the grid fits.
  const size = () => constants.reduce((acc, k) => acc * startValues[k]!.length, 1);
  for (let j = constants.length - 1; j >= 0 && size() > MAX_STARTS; j--) {
    const k = constants[j]!;
    const list = startValues[k]!;
    if (given[k] === undefined && list.length > 1) startValues[k] = [list[Math.floor(list.length / 2)]!];
  }

  const inputs = [...variables, ...columns.map((c) => `\`${c}\``)];
  const program: Program = compile(
    tree,
    {
      input: (t) => {
        const key = t.kind === 'column' ? `\`${t.name}\`` : t.name;
        const j = inputs.indexOf(key);
        return j >= 0 ? j : undefined;
      },
      constant: (name) => constants.indexOf(name),
    },
    scales,
  );

  const toTheta = (v: number, j: number) => (scales[j] === 'log' ? Math.log(v) : v);
  return {
    kind: 'formula',
    name: text,
    formula: `L = ${text}`,
    thetaNames: constants.map((k, j) => (scales[j] === 'log' ? `log_${k}` : k)),
    publicNames: constants,
    constants,
    scales,
    roles,
    variables,
    columns,
    startValues,
    prepare(runs: Runs): FormulaFeatures {
      const values = inputs.map((key) => inputOf(key, runs));
      return { n: runs.N.length, ws: program.workspace(values) };
    },
    predict(theta, f, out, jac) {
      program.run(theta, f.ws, out, jac);
    },
    starts(_grid: StartGrid) {
      return cartesian(constants.map((k, j) => startValues[k]!.map((v) => toTheta(v, j))));
    },
    toPublic(theta) {
      return Object.fromEntries(constants.map((k, j) => [k, scales[j] === 'log' ? Math.exp(theta[j]!) : theta[j]!]));
    },
    fromPublic(p) {
      return Float64Array.from(constants, (k, j) => {
        const v = p[k];
        if (v === undefined) throw new RangeError(`missing constant "${k}"`);
        return toTheta(v, j);
      });
    },
  };
}

/**
 * Default starts by role, in the constant's own units: exponents 0.1, 0.3, 0.8; an irreducible term 0.5, 1, 2
 * (losses in nats of typical ladders lie in 1.5–4, so E starts below them); coefficients on a log grid
 * e^0 … e^25, as Hoffmann et al.'s a, b ∈ {0, 5, …, 25}, thinned to e^0, e^10, e^20 when the grid would exceed
 * {@link MAX_DEFAULT_STARTS}.
 */
function defaultStarts(role: ConstantRole, roles: readonly ConstantRole[]): number[] {
  if (role === 'exponent') return [0.1, 0.3, 0.8];
  if (role === 'term') return [0.5, 1, 2];
  const fine = [0, 5, 10, 15, 20, 25].map(Math.exp);
  const coarse = [0, 10, 20].map(Math.exp);
  const others = roles.reduce((acc, r) => acc * (r === 'coefficient' ? 1 : 3), 1);
  const coefficients = roles.filter((r) => r === 'coefficient').length;
  return others * Math.pow(fine.length, coefficients) <= MAX_DEFAULT_STARTS ? fine : coarse;
}

/** Default start grids larger than this use the coarse coefficient list. */
export const MAX_DEFAULT_STARTS = 5000;

/** Start grids larger than this keep only the middle default value of their last constants (`--start` lists stay). */
export const MAX_STARTS = 50000;

function inputOf(key: string, runs: Runs): Float64Array {
  switch (key) {
    case 'N':
      return runs.N;
    case 'D':
      return runs.D;
    case 'C':
      return runs.C;
    case 'M':
      return runs.D.map((d, i) => d / runs.N[i]!);
    case 'U':
      // As the data-constrained law: a point without U (a forecast, an allocation) is trained on unique tokens only.
      return runs.U ?? runs.D;
  }
  const name = key.slice(1, -1);
  const column = runs.columns?.[name];
  if (!column) throw new UserError(`the formula reads the column \`${name}\`, which these runs do not carry`);
  return column;
}
