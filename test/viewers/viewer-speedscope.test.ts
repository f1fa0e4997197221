/**
 * Viewer test: the Chrome JSON and folded outputs of every function_graph and lttng-text sample,
 * loaded into speedscope (the npm package's built app) in headless Chromium. What speedscope
 * built is read back through its own Export (its file format, captured from the page), so the
 * checks are on the profile the user sees, not on our files:
 * - both load with no console error or page exception, and the importer never refused to close
 *   a frame or found one still open (the warnings it prints when `E` events do not match);
 * - the JSON's thread profiles, folded the way our folded output folds (self time per call
 *   path, summed over threads), give the same paths and weights as speedscope's view of the
 *   folded file, to the microsecond each path was rounded to: same total, same top-level frames.
 *
 * Run alone: `npx vitest run test/viewers/viewer-speedscope.test.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPU_LANES_PID, GLOBAL_LANES_PID } from '../../src/outputs/chrome-json.js';
import { outputByName } from '../../src/outputs/registry.js';
import { chromiumAvailable, launchChromium, startStaticServer, type Browser, type Page, type StaticServer } from '../support/chromium.js';
import { ROOT, SAMPLES, run, samplesOf } from '../support/convert-helpers.js';

const APP = path.join(ROOT, 'node_modules/speedscope/dist/release');
const HAVE = chromiumAvailable() && fs.existsSync(path.join(APP, 'index.html'));

/** speedscope's file format, as far as these checks read it. */
interface Exported {
  shared: { frames: { name: string }[] };
  profiles: (
    | { type: 'evented'; name: string; unit: string; events: { type: 'O' | 'C'; at: number; frame: number }[] }
    | { type: 'sampled'; name: string; unit: string; samples: number[][]; weights: number[] }
  )[];
}

/** Warnings of speedscope's trace-event importer that mean a slice was nested wrong. */
const MISNESTED = /Doing nothing instead|but the stack was empty|was still open at end of profile/;

let server: StaticServer;
let browser: Browser;
let page: Page;
let loads = 0;

/** Loads `body` as `/p/<name>` into speedscope and returns what it exports. */
async function load(name: string, body: Uint8Array): Promise<{ exported: Exported; console: Page['console']; errors: string[] }> {
  const url = `/p/${loads}/${name}`;
  server.put(url, Buffer.from(body));
  page.console.length = 0;
  page.errors.length = 0;
  // A new query string each time: a real navigation, not a hash change.
  await page.evaluate(`location.replace(${JSON.stringify(`${server.origin}/index.html?n=${loads++}#profileURL=${encodeURIComponent(server.origin + url)}`)}), true`);
  await page.waitFor(`location.search === '?n=${loads - 1}' && document.body && document.body.innerText.includes('Export')`, 30_000);
  const text = await page.evaluate<string | null>(`(async () => {
    let blob = null;
    const create = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (b) => { blob = b; return 'about:blank'; };
    HTMLAnchorElement.prototype.click = function () {};
    try {
      const button = [...document.querySelectorAll('div')].filter((d) => /Export$/.test(d.textContent)).pop();
      button.click();
      for (let i = 0; i < 50 && !blob; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    }
    return blob ? await blob.text() : null;
  })()`);
  expect(text, `${name}: speedscope exported nothing`).not.toBeNull();
  return { exported: JSON.parse(text!) as Exported, console: [...page.console], errors: [...page.errors] };
}

/** Self time per call path in microseconds, as our folded output counts it (frame arguments dropped). */
function pathsOf(x: Exported): Map<string, number> {
  const names = x.shared.frames.map((f) => f.name.replace(/ \{.*\}$/, ''));
  const out = new Map<string, number>();
  for (const p of x.profiles) {
    if (p.type === 'sampled') {
      p.samples.forEach((s, i) => {
        const k = s.map((f) => names[f]).join(';');
        out.set(k, (out.get(k) ?? 0) + p.weights[i]!);
      });
      continue;
    }
    // Per-CPU and global lanes (scheduler, interrupts, devices) are not call stacks.
    if (p.name.includes(`(pid ${CPU_LANES_PID}`) || p.name.includes(`(pid ${GLOBAL_LANES_PID}`)) continue;
    const stack: { name: string; at: number; child: number }[] = [];
    for (const e of p.events) {
      if (e.type === 'O') stack.push({ name: names[e.frame]!, at: e.at, child: 0 });
      else {
        const key = stack.map((f) => f.name).join(';');
        const f = stack.pop()!;
        const dur = e.at - f.at;
        if (stack.length) stack[stack.length - 1]!.child += dur;
        out.set(key, (out.get(key) ?? 0) + dur - f.child);
      }
    }
  }
  // Paths that are only the way to deeper frames (speedscope exports folded input as events too).
  for (const [k, v] of out) if (Math.abs(v) < 1e-6) out.delete(k);
  return out;
}

const roots = (m: Map<string, number>) => [...new Set([...m.keys()].map((k) => k.split(';')[0]!))].sort();
const sum = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);

describe.skipIf(!HAVE)('speedscope loads what we write', () => {
  beforeAll(async () => {
    server = await startStaticServer(APP);
    browser = await launchChromium();
    page = await browser.open(`${server.origin}/index.html`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const input of ['function-graph', 'lttng-text']) {
    for (const sample of samplesOf(input)) {
      it(`${input}/${sample}: .json and .folded load cleanly and agree`, async () => {
        const file = path.join(SAMPLES, input, sample);
        const jsonOut = await run(file, 'chrome-json');
        const foldedOut = await run(file, 'folded');
        // Events without calls (UST events, scheduling only) or only calls shorter than the
        // folded microsecond: nothing for a flame graph, and speedscope opens no file without stacks.
        if (foldedOut.text === '') return;
        const json = await load(`${sample}.json`, jsonOut.out);
        const folded = await load(`${sample}.folded`, foldedOut.out);
        for (const [what, r] of [
          ['json', json],
          ['folded', folded],
        ] as const) {
          expect(r.errors, `${what}: page exceptions`).toEqual([]);
          expect(r.console.filter((c) => c.type === 'error'), `${what}: console errors`).toEqual([]);
          expect(r.console.filter((c) => MISNESTED.test(c.text)), `${what}: misnested slices`).toEqual([]);
        }
        const fromJson = pathsOf(json.exported);
        const fromFolded = pathsOf(folded.exported);
        // Our folded output rounds each path to whole microseconds and leaves out those that round to 0.
        const rounded = new Map([...fromJson].map(([k, v]) => [k, Math.round(v)] as const).filter(([, v]) => v > 0));
        expect(Object.fromEntries(fromFolded), 'paths and weights').toEqual(Object.fromEntries(rounded));
        expect(roots(fromFolded), 'top-level frames').toEqual(roots(rounded));
        expect(Math.abs(sum(fromJson) - sum(fromFolded)), 'total').toBeLessThanOrEqual(0.5 * fromJson.size + 1e-6);
      }, 60_000);
    }
  }

  it('seed 004 in speedscope: SyS_recvfrom is the one top-level frame, ~6,115 us, in both files', async () => {
    const file = path.join(SAMPLES, 'function-graph', 'seed-004-recvfrom-pasted.txt');
    for (const [to, ext] of [
      ['chrome-json', 'json'],
      ['folded', 'folded'],
    ] as const) {
      const { exported } = await load(`seed-004.${ext}`, (await run(file, to)).out);
      const m = pathsOf(exported);
      expect(roots(m)).toEqual(['SyS_recvfrom']);
      expect(Math.abs(sum(m) - 6114.798) / 6114.798).toBeLessThan(0.01);
      const shot = process.env.TRACEBRIDGE_SCREENSHOTS;
      if (shot) fs.writeFileSync(path.join(shot, `seed-004-speedscope-${ext}.png`), await page.screenshot());
    }
  }, 60_000);

  it('formats names speedscope only for the outputs and inputs loaded here', () => {
    expect(outputByName('chrome-json')!.description).toMatch(/speedscope \(function-graph, lttng-text\)/);
    expect(outputByName('folded')!.description).toMatch(/speedscope/);
  });
});
