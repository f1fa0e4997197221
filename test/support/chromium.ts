// Test harness: a headless Chromium (Debian's /usr/bin/chromium, installed by .ci/run) driven
// over the DevTools protocol with chrome-remote-interface, and a static file server on
// 127.0.0.1 to load pages from. Used by the viewer tests (speedscope, flame graphs).

import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import os from 'node:os';
import path from 'node:path';
import CDP from 'chrome-remote-interface';

export const CHROMIUM = process.env.TRACEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.folded': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  /** Serves `body` at `urlPath` (overrides the directory). */
  put(urlPath: string, body: string | Buffer): void;
  close(): Promise<void>;
}

/** Serves `root` (if given) and whatever `put` adds, on 127.0.0.1 at a free port. */
export async function startStaticServer(root?: string): Promise<StaticServer> {
  const extra = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = decodeURIComponent(u.pathname);
    const send = (body: Buffer) => {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream',
        'access-control-allow-origin': '*',
      });
      res.end(body);
    };
    const put = extra.get(p);
    if (put) return send(put);
    if (root) {
      const file = path.join(root, path.normalize(p === '/' ? '/index.html' : p));
      if (file.startsWith(root)) {
        readFile(file).then(send, () => {
          res.writeHead(404);
          res.end();
        });
        return;
      }
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    put(urlPath, body) {
      extra.set(urlPath, typeof body === 'string' ? Buffer.from(body) : body);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ConsoleEntry {
  type: string;
  text: string;
}

export interface Page {
  /** Evaluates an expression in the page (awaiting promises) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Waits until `expression` is truthy, polling; throws after `timeoutMs`. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** PNG bytes of the viewport. */
  screenshot(): Promise<Buffer>;
  /** Dispatches a mouse click at page coordinates. */
  click(x: number, y: number): Promise<void>;
  /** Moves the mouse to page coordinates. */
  hover(x: number, y: number): Promise<void>;
  /** Types text into the focused element. */
  type(text: string): Promise<void>;
  console: ConsoleEntry[];
  errors: string[];
}

export interface Browser {
  open(url: string, opts?: {width?: number; height?: number}): Promise<Page>;
  close(): Promise<void>;
}

/** Starts headless Chromium with the flags this machine needs (no network, no sandbox as root). */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'tracebridge-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group: Debian's chromium is a wrapper script, and the browser it starts
    // must go when the test ends.
    {stdio: ['ignore', 'ignore', 'pipe'], detached: true},
  );
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${err}`)), 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}: ${err}`));
    });
  });
  const clients: CDP.Client[] = [];
  return {
    async open(url, opts = {}) {
      const target = await CDP.New({port, url: 'about:blank'});
      const client = await CDP({port, target});
      clients.push(client);
      const {Page: P, Runtime, Input, Emulation} = client;
      const page: Page = {
        console: [],
        errors: [],
        async evaluate<T>(expression: string): Promise<T> {
          const r = await Runtime.evaluate({expression, awaitPromise: true, returnByValue: true});
          if (r.exceptionDetails) {
            throw new Error(`page exception: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
          }
          return r.result.value as T;
        },
        async waitFor(expression, timeoutMs = 30_000) {
          const until = Date.now() + timeoutMs;
          for (;;) {
            let ok = false;
            try {
              ok = await page.evaluate<boolean>(`!!(${expression})`);
            } catch (e) {
              // The page is navigating: its old context is gone and the new one not yet there.
              if (!/navigated or closed|context was destroyed|Cannot find context/i.test(String(e))) throw e;
            }
            if (ok) return;
            if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        async screenshot() {
          const r = await P.captureScreenshot({format: 'png'});
          return Buffer.from(r.data, 'base64');
        },
        async click(x, y) {
          await Input.dispatchMouseEvent({type: 'mouseMoved', x, y});
          await Input.dispatchMouseEvent({type: 'mousePressed', x, y, button: 'left', clickCount: 1});
          await Input.dispatchMouseEvent({type: 'mouseReleased', x, y, button: 'left', clickCount: 1});
        },
        async hover(x, y) {
          await Input.dispatchMouseEvent({type: 'mouseMoved', x, y});
        },
        async type(text) {
          await Input.insertText({text});
        },
      };
      Runtime.consoleAPICalled((e) => {
        page.console.push({type: e.type, text: e.args.map((a) => a.value ?? a.description ?? '').join(' ')});
      });
      Runtime.exceptionThrown((e) => {
        page.errors.push(e.exceptionDetails.exception?.description ?? e.exceptionDetails.text);
      });
      await Promise.all([P.enable(), Runtime.enable()]);
      await Emulation.setDeviceMetricsOverride({
        width: opts.width ?? 1280,
        height: opts.height ?? 800,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const loaded = P.loadEventFired();
      await P.navigate({url});
      await loaded;
      return page;
    },
    async close() {
      for (const c of clients) await c.close().catch(() => undefined);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await rm(profile, {recursive: true, force: true}).catch(() => undefined);
    },
  };
}
