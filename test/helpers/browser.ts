import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { bin, root } from './cli.js';

/** Debian's chromium (`apt-get install -y chromium`), or SCALEWISE_CHROMIUM; the browser tests skip without it. Never a downloaded browser. */
export const chromiumPath = process.env.SCALEWISE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const noChromium = `no ${chromiumPath}: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;

/** Headless chromium; playwright gives every launch a fresh temporary profile (its --user-data-dir) and removes it on close. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
    ],
  });
}

/** `scalewise serve ARGS --port 0` as a child process; resolves with its URL (the first line on stdout). */
export async function startServe(...args: string[]): Promise<{ url: string; child: ChildProcess; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n');
      if (line.length > 1) ok(line[0]!);
    });
    child.once('exit', (code) => fail(new Error(`scalewise serve exited (${code}) before printing its URL: ${stderr}`)));
  });
  const stop = () =>
    new Promise<number | null>((ok) => {
      if (child.exitCode !== null) return ok(child.exitCode);
      child.once('exit', (code) => ok(code));
      child.kill('SIGTERM');
    });
  return { url, child, stop };
}
