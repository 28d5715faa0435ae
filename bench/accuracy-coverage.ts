// `node --import tsx bench/accuracy-coverage.ts [SEEDS] [B]`: how often the chained accuracy interval (loss draw b
// through link draw b, fitted on the same resampled runs) holds the true accuracy of a held-out run 2.5× beyond
// the largest fitted size, over SEEDS synthetic truths (test/helpers/accuracy-truth.ts); beside it, the
// loss interval's coverage and the coverage when the link's own uncertainty is left out (its θ fixed at the fit).
import { fitAnalysis } from '../src/analyses/fit.js';
import { boundedSigmoidLink } from '../src/laws/accuracy-link.js';
import { chainOptions, TARGET, trueAccuracy, trueLoss, truthTable } from '../test/helpers/accuracy-truth.js';

const seeds = Number(process.argv[2] ?? 200);
const B = Number(process.argv[3] ?? 200);
let accuracy = 0,
  loss = 0,
  lossOnly = 0;
const inside = (ci: [number, number] | undefined, v: number) => ci !== undefined && ci[0] <= v && v <= ci[1];
for (let seed = 0; seed < seeds; seed++) {
  const r = await fitAnalysis.run(truthTable(seed), chainOptions(seed, B));
  const t = r.report.targets![0]!;
  if (inside(t.accuracyCi95, trueAccuracy(TARGET.N, TARGET.D))) accuracy++;
  if (inside(t.ci95, trueLoss(TARGET.N, TARGET.D))) loss++;
  // The loss interval pushed through the fitted link alone (monotone: its ends map to the interval's ends).
  const link = boundedSigmoidLink(0.25);
  const theta = Object.values(r.report.accuracyLaw!.params);
  const ends = t.ci95!.map((l) => link.predict(theta, l)).sort((a, b) => a - b) as [number, number];
  if (inside(ends, trueAccuracy(TARGET.N, TARGET.D))) lossOnly++;
}
console.log(
  `${seeds} seeds, B = ${B}: accuracy ci95 (both steps) holds the truth ${accuracy}/${seeds}; loss ci95 ${loss}/${seeds}; loss-only accuracy interval ${lossOnly}/${seeds}`,
);
