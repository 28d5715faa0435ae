import { UserError } from '../../errors.js';
import { baseName, Checkpoints, folderName, type Imported, type InputFile } from './canonical.js';
import { isObject, jsonPath, metricCell, parseJson, shown } from './json.js';

// OLMo-core's MetricSaverCallback writes, into the trainer's save folder, metrics_step<N>.json at each saved
// step: one flat JSON object of the latest value of every metric (`train/CE loss`, `eval/lm/c4_en-validation/CE
// loss` …). The step is in the name and the run is the folder: one row per (run, step).

export async function importOlmo(files: readonly InputFile[]): Promise<Imported> {
  const out = new Checkpoints();
  for (const f of files) {
    const step = /^metrics_step(\d+)\.json$/i.exec(baseName(f.name))?.[1];
    if (step === undefined) throw new UserError(`${f.name}: the olmo importer reads OLMo-core's metrics_step<N>.json files (the step is read from the name)`);
    const doc = parseJson(new TextDecoder().decode(f.bytes), `${f.name}: `);
    if (!isObject(doc)) throw new UserError(`${f.name}: expected a JSON object of metrics, got ${shown(doc)}`);
    const origin = { file: f.name, row: 1 };
    for (const [k, v] of Object.entries(doc)) {
      const where = `${f.name}: ${jsonPath([k])}`;
      out.add(origin, `${where}: `, folderName(f.name), Number(step), k, metricCell(v, where));
    }
  }
  return { table: out.table(), keys: ['run', 'step'], notes: [] };
}
