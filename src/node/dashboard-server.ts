// The HTTP side of `scalewise serve`: the built page (dist/web), the study's settings at /api/study and its
// run tables at /files/<i>/<name>, on 127.0.0.1 only. All analysis happens in the page.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot } from './package-root.js';
import { formatOf } from '../data/parse.js';
import { analysisInputs } from '../report/study.js';
import type { Study } from '../schema/study.js';
import type { DashboardInfo } from '../web/model.js';

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
        skills: names.map((name) => {
          const spec = analysis.skills[name]!;
          return Array.isArray(spec) ? { name, columns: spec } : { name, columns: Object.keys(spec), weights: Object.values(spec) };
        }),
      },
    },
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
export async function startDashboard({ info, paths }: ReturnType<typeof dashboardOf>, port: number): Promise<Dashboard> {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) throw new UserError(`the dashboard is not built (no ${index}); run npm run build`);
  const infoJson = JSON.stringify(info);
  const server = createServer(async (req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/api/study') return send(200, infoJson, 'application/json');
    const file = /^\/files\/(\d+)\//.exec(path);
    if (file) {
      const p = paths[Number(file[1])];
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
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/` };
}
