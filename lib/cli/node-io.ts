import * as fs from 'fs';
import * as path from 'path';
import { CliIo } from './index';
import { MAX_INPUT_BYTES } from './read-yaml';

/** Decodes UTF-8 strictly: a binary or mis-encoded input is an error, not replacement characters. */
function utf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not valid UTF-8 text (a binary file?)`);
  }
}

/** An error with a code, as fs throws, so the CLI can say what to do about it. */
function fsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const LIMIT = `${MAX_INPUT_BYTES / 1048576} MiB`;

/** Reads at most `limit + 1` bytes from an open descriptor: enough to tell that it is too long. */
function readBounded(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, limit + 1 - total), null);
    } catch (e) {
      // A non-blocking stdin (a terminal or pipe set so by a parent) has no data yet: wait a little.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a regular file of at most {@link MAX_INPUT_BYTES}: a FIFO, a device (/dev/zero,
 * /dev/urandom), a socket or a directory is refused before anything is read.
 */
function readRegularFile(p: string): string {
  const stat = fs.statSync(p);
  if (stat.isDirectory()) throw fsError('EISDIR', 'it is a directory: give a file');
  if (!stat.isFile()) {
    const kind = stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a file';
    throw fsError('ENOTFILE', `it is ${kind}, not a regular file: save the input to a file, or pipe it to stdin with -`);
  }
  if (stat.size > MAX_INPUT_BYTES) throw fsError('EFBIG', `it is ${(stat.size / 1048576).toFixed(0)} MiB; the limit is ${LIMIT}`);
  const fd = fs.openSync(p, 'r');
  try {
    const bytes = readBounded(fd, MAX_INPUT_BYTES); // the file may have grown since stat
    if (bytes.length > MAX_INPUT_BYTES) throw fsError('EFBIG', `it is over ${LIMIT}, the limit`);
    return utf8(bytes, p);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads stdin up to {@link MAX_INPUT_BYTES}, and stops there (`< /dev/zero` does not grow without end). */
function readStdin(): string {
  const bytes = readBounded(0, MAX_INPUT_BYTES);
  if (bytes.length > MAX_INPUT_BYTES) throw fsError('EFBIG', `it is over ${LIMIT}, the limit: give a smaller input`);
  return utf8(bytes, 'stdin');
}

/** The CLI's input and output on a real process: regular files and stdin, bounded, read as strict UTF-8. */
export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    readFile: readRegularFile,
    readStdin,
    writeFile: (p, text) => {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    },
  };
}
