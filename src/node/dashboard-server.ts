// The HTTP side of `scalewise serve`: the built page (dist/web), the study's settings at /api/study and its
// run tables at /files/<i>/<name>, on 127.0.0.1 only. All analysis happens in the page.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { formatOf } from '../data/parse.js';
import { dashboardStudySchema, type DashboardStudy } from '../schema/dashboard.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/web, next to dist/src where this file is built. */
export const webRoot = join(here, '..', '..', 'web');
/** The repository (or installed package) root, for the bundled data set. */
const packageRoot = join(here, '..', '..', '..');

/** With no study file: the bundled 529-run sweep and the README's knowledge and code skills. */
export function defaultStudy(): { study: DashboardStudy; dir: string } {
  return {
    dir: join(packageRoot, 'datasets', 'kempner'),
    study: {
      title: 'Brandfonbrener et al. (2024) 529-run sweep',
      files: ['runs.csv'],
      params: 'params',
      tokens: 'tokens',
      flops: 'iso_flop',
      group: 'datamix',
      groupValue: 'fineweb',
      skills: {
        knowledge: ['loss_task_mmlu_humanities', 'loss_task_mmlu_other', 'loss_task_mmlu_social_sciences', 'loss_task_mmlu_stem', 'loss_task_arc_easy', 'loss_task_arc_challenge', 'loss_task_sciq', 'loss_task_openbook_qa'],
        code: ['loss_task_imbue_code_comprehension', 'loss_task_imbue_codegen'],
      },
      method: 'parabola',
    },
  };
}

/** Reads and validates a study file; every problem is one line naming the file and the field. */
export async function readStudy(path: string): Promise<{ study: DashboardStudy; dir: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = dashboardStudySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${path}: ${issue.path.length ? `"${issue.path.join('.')}": ` : ''}${issue.message}`);
  }
  for (const f of parsed.data.files) formatOf(f);
  return { study: { title: basename(path), ...parsed.data }, dir: dirname(resolve(path)) };
}

/** What the page reads at /api/study (see src/web/main.ts). */
function studyInfo(study: DashboardStudy) {
  const names = Object.keys(study.skills);
  const w = names.map((n) => study.mix?.[n] ?? 1);
  const total = w.reduce((s, v) => s + v, 0) || 1;
  // Slider positions 0–100: with two skills the one slider holds the first skill's share.
  const mix = names.length === 2 ? [Math.round((100 * w[0]!) / total), 100 - Math.round((100 * w[0]!) / total)] : w.map((v) => Math.round((100 * v) / total));
  return {
    title: study.title,
    files: study.files.map((f, i) => ({ name: basename(f), url: `/files/${i}/${encodeURIComponent(basename(f))}` })),
    config: {
      params: study.params,
      tokens: study.tokens,
      flops: study.flops,
      group: study.group,
      method: study.method,
      skills: names.map((name) => ({ name, columns: study.skills[name]! })),
    },
    mix,
    groupValue: study.groupValue,
  };
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

/** Starts the server on 127.0.0.1:port (0: a free port). */
export async function startDashboard(study: DashboardStudy, dir: string, port: number): Promise<Dashboard> {
  try {
    await readFile(join(webRoot, 'index.html'));
  } catch {
    throw new UserError(`the dashboard is not built (no ${join(webRoot, 'index.html')}); run npm run build`);
  }
  const info = JSON.stringify(studyInfo(study));
  const files = study.files.map((f) => resolve(dir, f));
  const server = createServer(async (req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/api/study') return send(200, info, 'application/json');
    const file = /^\/files\/(\d+)\//.exec(path);
    if (file) {
      const p = files[Number(file[1])];
      if (!p) return send(404, 'no such file\n');
      try {
        return send(200, await readFile(p), 'application/octet-stream');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return send(404, code === 'ENOENT' ? 'no such file' : String(code ?? err));
      }
    }
    const asset = path === '/' ? 'index.html' : path.slice(1);
    // Only the bundle's own flat file names; nothing outside dist/web.
    if (!/^[\w.-]+$/.test(asset) || !types[extname(asset)]) return send(404, 'not found\n');
    try {
      return send(200, await readFile(join(webRoot, asset)), types[extname(asset)]);
    } catch {
      return send(404, 'not found\n');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new UserError(`--port ${port}: address already in use`) : err.code === 'EACCES' ? new UserError(`--port ${port}: permission denied`) : err));
    server.listen(port, '127.0.0.1', ok);
  });
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/` };
}
