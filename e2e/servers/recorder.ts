/**
 * A recording reverse proxy on 127.0.0.1: it forwards every request to `target` and keeps the
 * method, path and status, so the registry's own Swift requests can be listed and replayed.
 */
import * as http from 'http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The body of a bulk delete (the list of objects), kept so that the request can be replayed whole. */
  readonly body?: string;
}

export interface Recorder {
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly close: () => Promise<void>;
}

export function startRecorder(targetPort: number): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const bulk = (req.url ?? '').includes('bulk-delete');
    const chunks: Buffer[] = [];
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: up.statusCode ?? 0, ...(bulk ? { body: Buffer.concat(chunks).toString('utf8') } : {}) });
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: 502 });
      res.writeHead(502);
      res.end(e.message);
    });
    if (bulk) req.on('data', (c: Buffer) => chunks.push(c));
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as { port: number }).port,
      requests,
      close: () => new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
    }));
  });
}
