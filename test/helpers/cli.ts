import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI, as a user runs it (`npm test` builds first). */
export const bin = join(root, 'dist/src/cli/bin.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scalewise ARGS` in this process (as the bin does, through `main`), from the repository root: the same
 * parsing, output and exit status as a user's process, without paying its start-up for every assertion.
 */
export async function scalewise(...args: string[]): Promise<CliResult> {
  let stdout = '',
    stderr = '';
  const status = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
  });
  return { status, stdout, stderr };
}

/** Runs the built bin as a separate process (for what only a process shows: the shebang, exit codes, signals). */
export function scalewiseProcess(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder with the given files written into it; returns its path. */
export function tempFiles(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalewise-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/**
 * One test per case: `scalewise ARGS` must exit 2 with exactly `scalewise: error: MESSAGE` on stderr and
 * nothing on stdout.
 */
export function testBadInputs(cases: [what: string, args: string[], message: string][]): void {
  for (const [what, args, message] of cases) {
    test(`bad input: ${what}`, async () => {
      const r = await scalewise(...args);
      assert.equal(r.status, 2, `status ${r.status}; stderr: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `scalewise: error: ${message}\n`);
    });
  }
}

/** `scalewise ARGS` in this process with `input` as its standard input (for tables given as `-`). */
export async function scalewiseWithStdin(input: string | Uint8Array, ...args: string[]): Promise<CliResult> {
  let stdout = '',
    stderr = '';
  const status = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    stdin: async () => (typeof input === 'string' ? new TextEncoder().encode(input) : input),
  });
  return { status, stdout, stderr };
}
