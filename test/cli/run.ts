import { CliIo, runCli } from '../../lib/cli';

/** What one run of the CLI printed and wrote. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly written: Record<string, string>;
}

/** Where the CLI reads from, in memory. */
export interface CliRunOptions {
  readonly env?: Record<string, string>;
  readonly files?: Record<string, string>;
  readonly stdin?: string;
  readonly io?: Partial<CliIo>;
}

/** Runs the CLI in memory: files and stdin from `opts`, output and written files captured. */
export function runCliInMemory(argv: string[], opts: CliRunOptions = {}): CliRun {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const code = runCli(argv, opts.env ?? {}, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => {
      if (!opts.files || !Object.hasOwn(opts.files, p)) throw new Error(`ENOENT: no such file '${p}'`);
      return opts.files[p];
    },
    readStdin: () => opts.stdin ?? '',
    writeFile: (p, t) => { written[p] = t; },
    ...opts.io,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), written };
}
