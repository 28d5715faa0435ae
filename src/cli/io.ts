/** Where a command writes: the process's stdout and stderr, or a test's buffers (the CLI runs in-process). */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (progress bars are drawn only then). */
  isTTY?: boolean;
  /** All of standard input, for a table given as `-` (absent: no stdin, as in a test that gives none). */
  stdin?: () => Promise<Uint8Array>;
}

export const processIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  get isTTY() {
    return process.stderr.isTTY === true;
  },
  async stdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
};
