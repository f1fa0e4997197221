/**
 * Serves one Perfetto trace to ui.perfetto.dev from 127.0.0.1, as Perfetto's own
 * `tools/open_trace_in_ui` does: port 9001 by default (the one port the UI's Content Security
 * Policy lets it fetch from), `Access-Control-Allow-Origin` set to the UI's origin,
 * `Cache-Control: no-cache`, 404 for any other path or method, and the server stops once the
 * trace was fetched. A private-network preflight (Chrome asks before a public page reads
 * from a loopback address) is answered with `Access-Control-Allow-Private-Network`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const PERFETTO_UI = 'https://ui.perfetto.dev';
export const PERFETTO_PORT = 9001;

export interface ServeOptions {
  bytes: Uint8Array;
  /** File name in the URL (`trace.pftrace`). */
  name: string;
  origin?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Stops serving (Ctrl-C). */
  signal?: AbortSignal;
}

export interface Serving {
  /** `http://127.0.0.1:PORT/NAME` */
  traceUrl: string;
  /** The UI link that loads the trace. */
  link: string;
  /** Settles when serving stopped: `fetched` is false when it was stopped before. */
  done: Promise<{ fetched: boolean }>;
}

export function uiLink(origin: string, traceUrl: string): string {
  return `${origin}/#!/?url=${traceUrl}&referrer=tracebridge`;
}

export async function serveTrace(o: ServeOptions): Promise<Serving> {
  const origin = o.origin ?? PERFETTO_UI;
  const path = '/' + encodeURIComponent(o.name);
  let finish: (v: { fetched: boolean }) => void = () => undefined;
  const done = new Promise<{ fetched: boolean }>((r) => (finish = r));
  let fetched = false;
  const common = (res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Cache-Control', 'no-cache');
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    common(res);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
      if (req.headers['access-control-request-headers']) res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers']);
      res.writeHead(204);
      res.end();
      return;
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || url.pathname !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('File not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(o.bytes.length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.end(o.bytes);
    res.on('finish', () => {
      fetched = true;
      stop();
    });
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    o.signal?.removeEventListener('abort', stop);
    server.close(() => finish({ fetched }));
    server.closeIdleConnections();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? PERFETTO_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (o.signal?.aborted) stop();
  else o.signal?.addEventListener('abort', stop);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? PERFETTO_PORT);
  const traceUrl = `http://127.0.0.1:${port}${path}`;
  return { traceUrl, link: uiLink(origin, traceUrl), done };
}
