// The HTTP side of `scalewise serve`: the built page (dist/web), the study's settings at /api/study and its
// run tables at /files/<i>/<name>, on 127.0.0.1 only. All analysis happens in the page.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot } from './package-root.js';
import { formatOf } from '../data/parse.js';
import { analysisInputs } from '../report/study.js';
import type { Study } from '../schema/study.js';
import type { DashboardInfo } from '../web/model.js';
import type { PlannerFit } from '../web/plan-model.js';
import { fileLabel, type PlanFitFile } from '../analyses/plan.js';
import { loadSavedFit } from '../analyses/saved-fit.js';
import { fitAnalysis, type FitAnalysisResult } from '../analyses/fit.js';
import { stackTables } from '../data/table.js';
import { studyOptions } from '../report/study.js';
import { checkStudyPath, planFromEntries, type StudyFitEntry } from '../report/study-plan.js';
import { nodeEnv } from './env.js';

/** The dashboard's bundle (`npm run build` writes it). */
const webRoot = join(packageRoot(), 'dist', 'web');
/** With no study file: the demo study (its skills analysis is the README's knowledge vs code on the 529-run sweep). */
export const defaultStudyPath = join(packageRoot(), 'datasets', 'demo-study.json');

/**
 * The dashboard's view of a study (the same file `scalewise report` reads): its first `skills` analysis — the
 * run tables, columns and filters it would use, its skills (only those it mixes, when it names a mix), its
 * group column and method. Returns the page's settings and the paths of the tables.
 */
export function dashboardOf(study: Study, file: string): { info: DashboardInfo; paths: string[] } {
  const found = study.analyses.find((a) => a.kind === 'skills');
  if (!found) throw new UserError(`${file}: analyses: no "skills" analysis to open in the dashboard`);
  const analysis = found as typeof found & {
    skills: Record<string, string[] | Record<string, number>>;
    mix?: string[] | string;
    group?: string;
    method?: 'parabola' | 'akima';
    bootstrap?: number;
    seed?: number;
  };
  // An analysis with its own data does not take the study's columns and filters (as in `scalewise report`).
  const { files: data, columns, where } = analysisInputs(study, analysis);
  const names = typeof analysis.mix === 'string' ? analysis.mix.split(',').map((m) => m.trim()) : (analysis.mix ?? Object.keys(analysis.skills));
  for (const n of names)
    if (!(n in analysis.skills)) throw new UserError(`${file}: mix: "${n}" is not a skill (skills: ${Object.keys(analysis.skills).join(', ')})`);
  for (const f of data) formatOf(f);
  return {
    paths: data.map((f) => (isAbsolute(f) ? f : join(dirname(file), f))),
    info: {
      title: analysis.title ?? study.title,
      files: data.map((f, i) => ({ name: basename(f), url: `/files/${i}/${encodeURIComponent(basename(f))}` })),
      where,
      config: {
        params: columns.params ?? 'params',
        tokens: columns.tokens,
        flops: columns.flops,
        group: analysis.group,
        method: analysis.method ?? 'parabola',
        // The band of the mix's N*: the analysis's own resamples, so the page's band is its `Nci95`.
        ...(analysis.bootstrap || analysis.seed !== undefined
          ? { band: { ...(analysis.bootstrap ? { resamples: analysis.bootstrap } : {}), ...(analysis.seed !== undefined ? { seed: analysis.seed } : {}) } }
          : {}),
        skills: names.map((name) => {
          const spec = analysis.skills[name]!;
          return Array.isArray(spec) ? { name, columns: spec } : { name, columns: Object.keys(spec), weights: Object.values(spec) };
        }),
      },
    },
  };
}

/**
 * The planner's fits: those given to `serve --fit [LABEL=]FILE` (paths as typed), then those of the study's
 * `plan` entries — their saved-fit files (inside the study's folder, as `report` reads them) and the `fit`
 * entries they name, fitted here once at start. Each saved file is checked as `plan` checks it.
 */
export async function plannerFitsOf(study: Study, file: string, given: PlanFitFile[]): Promise<PlannerFit[]> {
  const out: PlannerFit[] = [];
  const cwd = nodeEnv();
  for (const f of given) out.push({ label: f.label, saved: await loadSavedFit(f.file, cwd) });
  const env = nodeEnv({ base: dirname(file) });
  const fitted = new Map<number, StudyFitEntry>();
  for (const [i, a] of study.analyses.entries()) {
    if (a.kind !== 'plan') continue;
    try {
      for (const ref of a.from === undefined ? [] : Array.isArray(a.from) ? a.from : [a.from]) {
        const at = typeof ref === 'number' ? ref : study.analyses.findIndex((b, j) => (b.title ?? `${b.kind} ${j + 1}`) === ref);
        const entry = study.analyses[at];
        if (entry?.kind !== 'fit' || fitted.has(at)) continue;
        const table = await stackTables(analysisInputs(study, entry).files, env.readTable);
        const result = (await fitAnalysis.run(table, studyOptions(study, entry) as never, env)) as FitAnalysisResult;
        fitted.set(at, { index: at, title: entry.title ?? `fit ${at + 1}`, command: '', saved: result.saved() });
      }
      for (const s of planFromEntries(a, i, study.analyses, fitted)) out.push({ label: s.label, saved: s.saved });
      const o = studyOptions(study, a) as { fit?: string; also?: PlanFitFile[] };
      const files = [...(o.fit !== undefined ? [{ label: fileLabel(o.fit), file: o.fit }] : []), ...(o.also ?? [])];
      for (const f of files) {
        checkStudyPath(f.file === o.fit ? 'fit' : `also.${f.label}`, f.file);
        out.push({ label: f.label, saved: await loadSavedFit(f.file, env) });
      }
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${file}: analyses[${i}]: ${err.render((key) => key)}`);
      throw err;
    }
  }
  // One row per label: the same fit named twice (two plan entries) is planned once.
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.label) && seen.add(f.label));
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface Dashboard {
  server: Server;
  url: string;
}

/**
 * What the page may load: its own script, styles and data, nothing else (no inline script, no other
 * origin, no eval). WebAssembly may compile ('wasm-unsafe-eval': the Parquet decompressors are WASM; JS eval
 * stays refused). Inline styles are allowed because Observable Plot styles the figures through `style`
 * attributes; data: and blob: images are the favicon and the PNG export.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every answer: never cached, never sniffed as another type, never framed, the page under the CSP. */
const securityHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': contentSecurityPolicy,
  'referrer-policy': 'no-referrer',
};

/**
 * Only a request addressed to this server by a loopback name: a page on another domain that rebinds its
 * name to 127.0.0.1 (DNS rebinding) sends its own name as Host, and must not read the study or the runs.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/** Starts the server on 127.0.0.1:port (0: a free port). */
export async function startDashboard({ info, paths }: ReturnType<typeof dashboardOf>, port: number, fits: PlannerFit[] = []): Promise<Dashboard> {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) throw new UserError(`the dashboard is not built (no ${index}); run npm run build`);
  const infoJson = JSON.stringify(info);
  const fitsJson = JSON.stringify(fits);
  let bound = port;
  const server = createServer(async (req, res) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, ...securityHeaders });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!allowedHost(req.headers.host, bound)) return send(403, 'forbidden: this server answers only to 127.0.0.1, localhost or [::1] with its port\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/api/study') return send(200, infoJson, 'application/json');
    if (path === '/api/fits') return send(200, fitsJson, 'application/json');
    const file = /^\/files\/(\d+)\//.exec(path);
    if (file) {
      const p = paths[Number(file[1])];
      if (!p) return send(404, 'no such file\n');
      return sendFile(req, res, p, 'application/octet-stream', (code) => send(404, code === 'ENOENT' ? 'no such file\n' : `${code}\n`));
    }
    const asset = path === '/' ? 'index.html' : path.slice(1);
    // Only the bundle's own flat file names; nothing outside dist/web.
    if (!/^[\w.-]+$/.test(asset) || !types[extname(asset)]) return send(404, 'not found\n');
    return sendFile(req, res, join(webRoot, asset), types[extname(asset)]!, () => send(404, 'not found\n'));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE'
          ? new UserError(`--port ${port}: address already in use`)
          : err.code === 'EACCES'
            ? new UserError(`--port ${port}: permission denied`)
            : err,
      ),
    );
    server.listen(port, '127.0.0.1', ok);
  });
  const address = server.address();
  bound = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://127.0.0.1:${bound}/` };
}

/**
 * Streams a file (a run table can be large: read whole, 8 downloads of a 129 MB table took the server to
 * 1 GB); `missing` answers when it cannot be opened. A failure mid-stream ends the connection.
 */
async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, type: string, missing: (code: string) => void): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return missing('not a regular file');
    size = info.size;
  } catch (err) {
    return missing(String((err as NodeJS.ErrnoException).code ?? err));
  }
  res.writeHead(200, { 'content-type': type, 'content-length': size, ...securityHeaders });
  if (req.method === 'HEAD') return void res.end();
  try {
    await pipeline(createReadStream(path), res);
  } catch {
    res.destroy(); // the client went away, or the file vanished: nothing more to say on this connection
  }
}
