import * as fs from 'fs';
import * as path from 'path';
import { CliIo } from './index';

/** Decodes UTF-8 strictly: a binary or mis-encoded input is an error, not replacement characters. */
function utf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not valid UTF-8 text (a binary file?)`);
  }
}

/** The CLI's input and output on a real process: files and stdin read as strict UTF-8. */
export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    readFile: (p) => utf8(fs.readFileSync(p), p),
    readStdin: () => utf8(fs.readFileSync(0), 'stdin'),
    writeFile: (p, text) => {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    },
  };
}
