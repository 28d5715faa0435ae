import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { forecast } from '../../methods/forecast.js';
import { readSavedFit } from '../../analyses/saved-fit.js';
import { UserError } from '../../errors.js';
import { errorLinkByName } from '../../laws/error-link.js';
import { lawByName } from '../../laws/registry.js';
import type { PredictReport } from '../../schema/predict.js';
import type { SavedFit } from '../../schema/saved-fit.js';
import { num, range, table } from '../format.js';
import { positiveList } from '../parse.js';

interface PredictFlags {
  fit?: string;
  n?: string;
  d?: string;
  c?: string;
  m?: string;
  json?: boolean;
}

/** A forecast this many times beyond the largest fitted C, or this factor outside the fitted M, is flagged. */
const FAR_C = 10;
const FAR_M = 2;

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('forecast loss (and downstream error) from a saved fit, with 95% intervals from its bootstrap draws')
    .option('--fit <FILE>', 'a fit saved by `scalewise fit ... --save FILE`')
    .option('--n <N,...>', 'parameters (with --d)')
    .option('--d <D,...>', 'training tokens (with --n)')
    .option('--c <C,...>', 'training compute in FLOP, C = 6ND (with --m)')
    .option('--m <M,...>', 'tokens per parameter D/N (with --c)')
    .option('--json', 'print one JSON document instead of a table')
    .action((flags: PredictFlags) => {
      const report = runPredict(flags);
      process.stdout.write((flags.json ? JSON.stringify(report) : formatPredict(report)) + '\n');
      for (const w of report.warnings) process.stderr.write(`scalewise: warning: ${w}\n`);
    });
}

function runPredict(flags: PredictFlags): PredictReport {
  if (flags.fit === undefined) throw new UserError('--fit FILE is required (a fit saved with scalewise fit --save)');
  const byND = flags.n !== undefined || flags.d !== undefined;
  const byCM = flags.c !== undefined || flags.m !== undefined;
  if (byND === byCM) throw new UserError('give --n and --d, or --c and --m');
  let N: number[], D: number[];
  if (byND) {
    [N, D] = pair('--n', flags.n, '--d', flags.d);
  } else {
    const [C, M] = pair('--c', flags.c, '--m', flags.m);
    // C = 6ND and D = M·N give N = √(C/(6M)).
    N = C.map((c, i) => Math.sqrt(c / (6 * M[i]!)));
    D = N.map((n, i) => M[i]! * n);
  }
  const saved = loadSavedFit(flags.fit);
  const law = lawByName(saved.law);
  if (saved.theta.length !== law.thetaNames.length) {
    throw new UserError(`${flags.fit}: theta has ${saved.theta.length} values; the ${law.name} law has ${law.thetaNames.length}`);
  }
  const warnings: string[] = [];
  const draws = saved.bootstrap ? Float64Array.from(saved.bootstrap.theta.flat()) : undefined;
  if (!draws) warnings.push(`${flags.fit} has no bootstrap draws (save a fit made with --bootstrap B): no intervals`);
  const e = saved.errorLaw;
  const errorLaw = e
    ? { link: errorLinkByName(e.link), theta: Float64Array.from(e.theta), ...(e.bootstrap ? { draws: Float64Array.from(e.bootstrap.theta.flat()) } : {}) }
    : undefined;
  const out = forecast(law, Float64Array.from(saved.theta), N, D, draws, errorLaw);
  const predictions = out.map((f, i) => {
    const C = 6 * N[i]! * D[i]!;
    const M = D[i]! / N[i]!;
    const extrapolation = C / saved.data.C[1];
    if (extrapolation > FAR_C) warnings.push(`C = ${num(C, 3)} is ${num(extrapolation, 3)}× the largest C in the fitted data: a far extrapolation`);
    if (M > FAR_M * saved.data.M[1] || M < saved.data.M[0] / FAR_M) {
      warnings.push(`M = D/N = ${num(M, 3)} is far outside the fitted M range ${range(saved.data.M[0], saved.data.M[1], 3)}`);
    }
    return { N: N[i]!, D: D[i]!, C, M, loss: f.loss, ...(f.ci95 ? { ci95: f.ci95 } : {}), ...(f.error !== undefined ? { error: f.error } : {}), ...(f.errorCi95 ? { errorCi95: f.errorCi95 } : {}), extrapolation };
  });
  if (e && !e.bootstrap && draws) warnings.push('the error law has no bootstrap draws: error intervals carry only the loss law\'s uncertainty');
  return { fit: flags.fit, law: law.name, predictions, warnings };
}

/** Two comma-separated lists of positive numbers of equal length, or one of length 1 broadcast. */
function pair(fa: string, a: string | undefined, fb: string, b: string | undefined): [number[], number[]] {
  if (a === undefined) throw new UserError(`${fb} needs ${fa}`);
  if (b === undefined) throw new UserError(`${fa} needs ${fb}`);
  let x = positiveList(fa, a), y = positiveList(fb, b);
  if (x.length !== y.length) {
    if (x.length === 1) x = y.map(() => x[0]!);
    else if (y.length === 1) y = x.map(() => y[0]!);
    else throw new UserError(`${fa} has ${x.length} values and ${fb} ${y.length}: give equal lengths, or one value to use with each`);
  }
  return [x, y];
}

function loadSavedFit(file: string): SavedFit {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not a saved scalewise fit (not JSON)`);
  }
  return readSavedFit(doc, file);
}

function formatPredict(r: PredictReport): string {
  const ci = r.predictions.some((p) => p.ci95);
  const err = r.predictions.some((p) => p.error !== undefined);
  const header = ['N', 'D', 'C', 'M', 'loss', ...(ci ? ['95% interval'] : []), ...(err ? ['error', ...(ci ? ['95% interval'] : [])] : []), 'vs largest fitted C'];
  const rows = r.predictions.map((p) => [
    num(p.N, 3),
    num(p.D, 3),
    num(p.C, 3),
    num(p.M, 3),
    num(p.loss),
    ...(ci ? [p.ci95 ? range(p.ci95[0], p.ci95[1]) : ''] : []),
    ...(err ? [num(p.error!), ...(ci ? [p.errorCi95 ? range(p.errorCi95[0], p.errorCi95[1]) : ''] : [])] : []),
    p.extrapolation <= 1 ? 'within data' : `${num(p.extrapolation, 2)}× beyond`,
  ]);
  return [`${r.law} forecast from ${r.fit}`, table(header, rows)].join('\n');
}
