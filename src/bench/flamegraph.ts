/**
 * The flame graph of a large profile: 100,000 distinct call paths (stack samples with skewed
 * weights, up to 40 frames deep) through the svg writer. Measures the time to write the SVG,
 * its size, the frames drawn and merged (under 0.1 px, as flamegraph.pl --minwidth), and,
 * when Chromium is installed, the time the browser takes to load and paint it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StackSample, TraceEvent } from '../model/events.js';
import { svg } from '../outputs/flamegraph/index.js';
import { rng } from './gen-function-graph.js';

/** `paths` distinct root-first stacks: a random tree grown until it has that many leaves. */
export function profileEvents(paths: number, seed = 7): TraceEvent[] {
  const r = rng(seed);
  const names = Array.from({ length: 4000 }, (_, i) => `fn_${(i * 2654435761) % 100000}`);
  const evs: TraceEvent[] = [{ kind: 'info', format: 'bench', clock: 'none' }];
  const seen = new Set<string>();
  while (seen.size < paths) {
    // Few roots and hot prefixes, as real profiles have: names drawn with a skew per depth.
    const depth = 2 + Math.floor(r() * r() * 38);
    const frames = [];
    for (let d = 0; d < depth; d++) frames.push({ name: names[Math.floor(r() ** (3 - d / 20) * names.length)]! });
    const key = frames.map((f) => f.name).join(';');
    if (seen.has(key)) continue;
    seen.add(key);
    const weight = 1 + Math.floor(1000 * r() ** 6);
    evs.push({ kind: 'sample', ts: 0, track: 0, frames, weight } satisfies StackSample);
  }
  return evs;
}

export interface FlameBench {
  paths: number;
  writeSeconds: number;
  bytes: number;
  frames: number;
  merged: number;
  renderMs?: number;
}

/** Load and first paint of an SVG in headless Chromium, over the DevTools protocol. */
async function renderMs(file: string): Promise<number | undefined> {
  const bin = process.env.TRACEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(bin)) return undefined;
  const CDP = (await import('chrome-remote-interface')).default;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-chromium-'));
  const child = spawn(bin, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Debian's chromium is a wrapper script, and the browser must go too.
    detached: true,
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(err)));
    });
    const target = await CDP.New({ port, url: 'about:blank' });
    const client = await CDP({ port, target });
    await client.Page.enable();
    const t0 = Date.now();
    const loaded = client.Page.loadEventFired();
    await client.Page.navigate({ url: pathToFileURL(file).href });
    await loaded;
    // Two animation frames after load: the frames are laid out and painted.
    await client.Runtime.evaluate({ expression: 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))', awaitPromise: true });
    const ms = Date.now() - t0;
    await client.close();
    return ms;
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 200));
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

export async function benchFlameGraph(dir: string, paths = 100_000): Promise<FlameBench> {
  const evs = profileEvents(paths);
  const t0 = process.hrtime.bigint();
  const w = svg.createWriter({ inputName: `${paths} paths` });
  for (let i = 0; i < evs.length; i += 4096) w.push(evs.slice(i, i + 4096));
  const out = w.end() as string;
  const writeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const file = path.join(dir, `flame-${paths}.svg`);
  fs.writeFileSync(file, out);
  const frames = (out.match(/<g class="f"/g) ?? []).length;
  const merged = Number(/data-merged="(\d+)"/.exec(out)?.[1] ?? 0);
  return { paths, writeSeconds, bytes: Buffer.byteLength(out), frames, merged, renderMs: await renderMs(file) };
}
