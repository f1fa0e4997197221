/**
 * `tracebridge open`: a loopback client that behaves as ui.perfetto.dev does (its Origin, a
 * private-network preflight, then the GET) gets the Perfetto bytes and the CORS headers, and
 * the command ends once the trace was fetched.
 */
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { serveTrace, PERFETTO_UI } from '../../src/pipeline/serve.js';
import { SAMPLES, run } from '../support/convert-helpers.js';

const SAMPLE = path.join(SAMPLES, 'function-graph/seed-004-recvfrom-pasted.txt');

function request(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('open', () => {
  it('serves the converted trace once to the UI origin, prints the link, then stops', async () => {
    let out = '';
    let err = '';
    let linkSeen: (l: string) => void = () => undefined;
    const link = new Promise<string>((r) => (linkSeen = r));
    const code = runCli(['open', SAMPLE, '--port', '0', '--no-browser'], {
      stdout: (s) => {
        out += s;
        if (s.startsWith('https://')) linkSeen(s.trim());
      },
      stderr: (s) => (err += s),
    });
    const l = await link;
    const m = /^https:\/\/ui\.perfetto\.dev\/#!\/\?url=(http:\/\/127\.0\.0\.1:\d+\/seed-004-recvfrom-pasted\.pftrace)&referrer=tracebridge$/.exec(l);
    expect(m, l).not.toBeNull();
    const url = m![1]!;
    const origin = { Origin: PERFETTO_UI };

    // Another path, or a POST, is not served and does not stop the server.
    expect((await request(url.replace(/[^/]+$/, 'other.pftrace'), 'GET', origin)).status).toBe(404);
    expect((await request(url, 'POST', origin)).status).toBe(404);
    // Chrome's private-network preflight from a public page to a loopback address.
    const pre = await request(url, 'OPTIONS', { ...origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Private-Network': 'true' });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(PERFETTO_UI);
    expect(pre.headers['access-control-allow-private-network']).toBe('true');

    const got = await request(url, 'GET', origin);
    expect(got.status).toBe(200);
    expect(got.headers['access-control-allow-origin']).toBe(PERFETTO_UI);
    expect(got.headers['cache-control']).toBe('no-cache');
    const want = (await run(SAMPLE, 'perfetto')).out;
    expect(Buffer.compare(got.body, Buffer.from(want))).toBe(0);

    expect(await code).toBe(0);
    expect(err).toContain('the trace was fetched; stopped serving');
    expect(out.trim()).toBe(l);
    // Nothing listens any more.
    await expect(request(url, 'GET', origin)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops without a fetch when told to (Ctrl-C)', async () => {
    const ac = new AbortController();
    const s = await serveTrace({ bytes: new Uint8Array([1, 2, 3]), name: 't.pftrace', port: 0, signal: ac.signal });
    expect(s.link).toBe(`${PERFETTO_UI}/#!/?url=${s.traceUrl}&referrer=tracebridge`);
    const head = await request(s.traceUrl, 'HEAD', { Origin: PERFETTO_UI });
    expect(head.headers['content-length']).toBe('3');
    ac.abort();
    expect(await s.done).toEqual({ fetched: false });
    await expect(request(s.traceUrl, 'GET', {})).rejects.toThrow(/ECONNREFUSED/);
  });

  it('an input that cannot be read fails with exit 1', async () => {
    let err = '';
    expect(await runCli(['open', '/nonexistent/trace.txt', '--port', '0', '--no-browser'], { stdout: () => undefined, stderr: (s) => (err += s) })).toBe(1);
    expect(err).toContain('cannot read');
  });
});
