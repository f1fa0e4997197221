/**
 * The svg flame graphs of the seeds opened in headless Chromium: the widest frames' names and
 * weights read from the DOM equal the ones an independent sum over the folded output gives;
 * hover, search (through the Search button and the prompt it opens) and zoom are driven as a
 * user would; screenshots are written next to the other test outputs for looking at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, startStaticServer, type Browser, type Page, type StaticServer } from '../../support/chromium.js';
import { ROOT, run } from '../../support/convert-helpers.js';
import { diffProfiles, diffSvg, parseFolded } from '../../../src/outputs/flamegraph/diff.js';

const SEEDS = [
  ['000', 'test/fixtures/dmesg/seed-000-memcached-rbinsert-histogram.txt'],
  ['001', 'test/fixtures/dmesg/seed-001-db-bench-rbinsert-histogram.txt'],
  ['002', 'samples/function-graph/seed-002-libaio-blog.txt'],
  ['004', 'samples/function-graph/seed-004-recvfrom-pasted.txt'],
] as const;

export const SHOTS = path.join(os.tmpdir(), 'tracebridge-flamegraph-shots');
const SPAN = 1180;

interface DomFrame {
  name: string;
  w: number;
  width: number;
  x: number;
  y: number;
  label: string;
  fill: string;
  hidden: boolean;
}

/** Every frame's path prefix → inclusive weight, summed from folded lines (independent of the drawing code). */
function prefixWeights(folded: string): { byPath: Map<string, number>; total: number } {
  const byPath = new Map<string, number>();
  let total = 0;
  for (const line of folded.split('\n')) {
    if (!line) continue;
    const sp = line.lastIndexOf(' ');
    const w = Number(line.slice(sp + 1));
    const parts = line.slice(0, sp).split(';');
    total += w;
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join(';');
      byPath.set(p, (byPath.get(p) ?? 0) + w);
    }
  }
  return { byPath, total };
}

const READ_FRAMES = `[...document.querySelectorAll('g.f')].map((g) => {
  const r = g.querySelector('rect'), t = g.querySelector('title').textContent;
  return { name: t.slice(0, t.lastIndexOf(' (')), w: +g.dataset.w, width: +r.getAttribute('width'), x: +r.getAttribute('x'),
    y: +r.getAttribute('y'), label: g.querySelector('text').textContent, fill: r.getAttribute('fill'), hidden: g.classList.contains('hide') };
})`;

async function clickOn(page: Page, selector: string) {
  const box = await page.evaluate<{ x: number; y: number }>(
    `(() => { const b = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; })()`,
  );
  await page.click(box.x, box.y);
}

describe.skipIf(!chromiumAvailable())('seed flame graphs in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startStaticServer();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [seed, rel] of SEEDS) {
    it(`seed ${seed}: widest frames and weights match the folded output; hover, search and zoom work`, async () => {
      const file = path.join(ROOT, rel);
      const folded = (await run(file, 'folded')).text;
      const { text: svg } = await run(file, 'svg', { inputName: rel });
      server.put(`/seed-${seed}.svg`, svg);
      const page = await browser.open(`${server.origin}/seed-${seed}.svg`, { width: 1200, height: 900 });
      expect(page.errors).toEqual([]);
      const frames = await page.evaluate<DomFrame[]>(READ_FRAMES);
      const { byPath, total } = prefixWeights(folded);

      // The root is all of the weight, as wide as the graph.
      const root = frames.find((f) => f.name === 'all')!;
      expect(root.w).toBe(total);
      expect(root.width).toBeCloseTo(SPAN, 0);

      // The widest frames (at least the ten heaviest paths' weight, ties included) have the
      // names and weights of the heaviest call paths.
      const ranked = [...byPath.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const cut = ranked[Math.min(9, ranked.length - 1)]![1];
      const heaviest = ranked.filter(([, w]) => w >= cut);
      const widest = frames
        .filter((f) => f.name !== 'all' && f.width >= (cut / total) * SPAN - 0.05)
        .sort((a, b) => b.width - a.width || b.w - a.w || (a.name < b.name ? -1 : 1));
      const names = (list: string[]) => [...list].sort();
      expect(names(widest.map((f) => `${f.name} ${f.w}`))).toEqual(names(heaviest.map(([p, w]) => `${p.split(';').pop()} ${w}`)));
      expect(widest.length).toBeGreaterThanOrEqual(Math.min(10, ranked.length));
      for (const f of widest) {
        expect(f.width).toBeCloseTo((f.w / total) * SPAN, 0);
        // The label is the name, or its start and `..` when it does not fit.
        // A frame too narrow for three characters has no label, as in flamegraph.pl.
        if (f.label === '') expect(f.width).toBeLessThan(3 * 12 * 0.59 + 3);
        else if (f.label !== f.name) expect(f.label.endsWith('..') && f.name.startsWith(f.label.slice(0, -2))).toBe(true);
        else expect(f.width).toBeGreaterThan(f.name.length * 7);
      }
      fs.writeFileSync(path.join(SHOTS, `seed-${seed}.png`), await page.screenshot());

      // Hover: the details line names the frame, its weight and share.
      const top = widest[0]!;
      await page.hover(top.x + top.width / 2, top.y + 8);
      const details = await page.evaluate<string>(`document.querySelector('.tb-details').textContent`);
      expect(details).toMatch(new RegExp(`^Function: ${top.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`));
      expect(details).toContain(`${((100 * top.w) / total).toFixed(2)}%`);

      // Search through the button: every frame whose name matches turns magenta, and the
      // matched share is the weight of the folded lines through a match.
      const leaf = widest.find((f) => f.w < total)!;
      const term = leaf.name;
      await page.evaluate(`window.prompt = () => ${JSON.stringify(term)}`);
      await clickOn(page, '.tb-search');
      const after = await page.evaluate<DomFrame[]>(READ_FRAMES);
      const magenta = after.filter((f) => f.fill === 'rgb(230,0,230)');
      const re = new RegExp(term);
      expect(magenta.length).toBe(after.filter((f) => re.test(f.name)).length);
      expect(magenta.length).toBeGreaterThan(0);
      let through = 0;
      for (const line of folded.split('\n')) {
        if (!line) continue;
        const sp = line.lastIndexOf(' ');
        if (line.slice(0, sp).split(';').some((p) => re.test(p))) through += Number(line.slice(sp + 1));
      }
      const matchedText = await page.evaluate<string>(`document.querySelector('.tb-matched').textContent`);
      expect(matchedText).toBe(`Matched: ${((100 * through) / total).toFixed(1)}%`);
      fs.writeFileSync(path.join(SHOTS, `seed-${seed}-search.png`), await page.screenshot());
      await clickOn(page, '.tb-search'); // Reset Search
      expect(await page.evaluate(`document.querySelectorAll('rect[fill="rgb(230,0,230)"]').length`)).toBe(0);

      // Zoom: click the widest frame that has children; it fills the width, its callers stay
      // (dimmed, full width), frames beside it are hidden; Reset Zoom brings every frame back.
      const target = widest.find((f) => f.w < total && after.some((c) => c.y < f.y && c.x >= f.x && c.x + c.width <= f.x + f.width + 0.1))!;
      await page.click(target.x + Math.min(target.width / 2, 20), target.y + 8);
      const zoomed = await page.evaluate<DomFrame[]>(READ_FRAMES);
      const z = zoomed.find((f) => f.name === target.name && !f.hidden && Math.abs(f.width - SPAN) < 0.5 && f.y === target.y);
      expect(z).toBeDefined();
      expect(await page.evaluate(`document.querySelector('svg').dataset.zoomed`)).toBe(target.name);
      const beside = frames.filter((f) => f.y === target.y && (f.x + f.width <= target.x + 0.05 || f.x >= target.x + target.width - 0.05));
      for (const f of beside) expect(zoomed.find((g) => g.x === f.x && g.y === f.y && g.name === f.name)?.hidden ?? true).toBe(true);
      const kids = zoomed.filter((f) => !f.hidden && f.y < target.y);
      expect(kids.length).toBeGreaterThan(0);
      for (const k of kids) expect(k.width).toBeCloseTo((k.w / target.w) * SPAN, 0);
      expect(await page.evaluate(`!document.querySelector('.tb-unzoom').classList.contains('hide')`)).toBe(true);
      fs.writeFileSync(path.join(SHOTS, `seed-${seed}-zoom.png`), await page.screenshot());
      await clickOn(page, '.tb-unzoom');
      const back = await page.evaluate<DomFrame[]>(READ_FRAMES);
      expect(back.map((f) => [f.x, f.width, f.hidden])).toEqual(frames.map((f) => [f.x, f.width, false]));
      expect(page.errors).toEqual([]);
    }, 60_000);
  }

  it('seed 004 as a flame chart: one rect per slice at its time, zoom to a slice keeps what overlaps it', async () => {
    const file = path.join(ROOT, SEEDS[3][1]);
    const { text } = await run(file, 'svg', { flame: { chart: true, minWidth: 0 } });
    const csv = (await run(file, 'csv')).text;
    server.put('/chart.svg', text);
    const page = await browser.open(`${server.origin}/chart.svg`, { width: 1200, height: 700 });
    const frames = await page.evaluate<DomFrame[]>(READ_FRAMES);
    // The CSV lists every call once: the chart draws each of them.
    expect(frames.length).toBe(csv.trim().split('\n').length - 1);
    const outer = frames.reduce((a, b) => (b.width > a.width ? b : a));
    expect(outer.name).toBe('SyS_recvfrom');
    expect(outer.width).toBeCloseTo(SPAN, 0);
    fs.writeFileSync(path.join(SHOTS, 'seed-004-chart.png'), await page.screenshot());
    const mid = frames.find((f) => f.name === 'tcp_prequeue_process')!;
    await page.click(mid.x + mid.width / 2, mid.y + 8);
    const z = await page.evaluate<DomFrame[]>(READ_FRAMES);
    const shown = z.filter((f) => !f.hidden);
    for (const f of shown) {
      const o = frames[z.indexOf(f)]!;
      expect(o.x < mid.x + mid.width && o.x + o.width > mid.x).toBe(true);
    }
    expect(shown.find((f) => f.name === 'tcp_prequeue_process')!.width).toBeCloseTo(SPAN, 0);
    fs.writeFileSync(path.join(SHOTS, 'seed-004-chart-zoom.png'), await page.screenshot());
    expect(page.errors).toEqual([]);
  }, 60_000);

  it('--inverted draws an icicle (root on top) and zooms the same way; a differential graph opens too', async () => {
    const file = path.join(ROOT, SEEDS[0][1]);
    const { text } = await run(file, 'svg', { flame: { inverted: true } });
    server.put('/icicle.svg', text);
    const page = await browser.open(`${server.origin}/icicle.svg`, { width: 1200, height: 500 });
    const frames = await page.evaluate<DomFrame[]>(READ_FRAMES);
    const root = frames.find((f) => f.name === 'all')!;
    for (const f of frames) if (f !== root) expect(f.y).toBeGreaterThan(root.y);
    const t = frames.filter((f) => f.name === 'try_to_wake_up')[0]!;
    await page.click(t.x + 20, t.y + 8);
    const z = await page.evaluate<DomFrame[]>(READ_FRAMES);
    expect(z.find((f) => f.name === 'try_to_wake_up' && !f.hidden)!.width).toBeCloseTo(SPAN, 0);
    // Its callers (above it) stay, full width; its callees (below) are scaled; the rest is hidden.
    for (const f of z) if (!f.hidden && f.y < t.y) expect(f.width).toBeCloseTo(SPAN, 0);
    expect(z.filter((f) => f.hidden).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(SHOTS, 'seed-000-icicle-zoom.png'), await page.screenshot());
    expect(page.errors).toEqual([]);

    // Seed 000 against seed 001 (two workloads' rbinsert histograms): frames red and blue.
    const a = parseFolded((await run(file, 'folded')).text);
    const b = parseFolded((await run(path.join(ROOT, SEEDS[1][1]), 'folded')).text);
    server.put('/diff.svg', diffSvg(diffProfiles(a, b, { normalize: true }), { title: 'diff', subtitle: '', unit: 'samples' }));
    const d = await browser.open(`${server.origin}/diff.svg`, { width: 1200, height: 500 });
    const fills = (await d.evaluate<DomFrame[]>(READ_FRAMES)).map((f) => f.fill);
    expect(fills.some((f) => f.startsWith('rgb(255,'))).toBe(true);
    expect(fills.some((f) => /^rgb\(\d+,\d+,255\)$/.test(f))).toBe(true);
    fs.writeFileSync(path.join(SHOTS, 'diff-000-001.png'), await d.screenshot());
    expect(d.errors).toEqual([]);
  }, 60_000);

  it('the html page embeds the same graph, with a legend and the diagnostics summary; its script works there', async () => {
    const file = path.join(ROOT, SEEDS[3][1]);
    const r = await run(file, 'html');
    server.put('/seed-004.html', r.text);
    const page = await browser.open(`${server.origin}/seed-004.html`, { width: 1300, height: 1000 });
    const legend = await page.evaluate<string[]>(`[...document.querySelectorAll('ul.legend li')].map((l) => l.textContent)`);
    expect(legend).toContain('kernel module function ([module])');
    const diag = await page.evaluate<[string, string][]>(`[...document.querySelectorAll('table.diagnostics tr')].map((t) => [t.cells[0].textContent, t.cells[1]?.textContent])`);
    expect(Object.fromEntries(diag)).toEqual(Object.fromEntries(Object.entries(r.result.diagnostics).map(([k, v]) => [k, String(v)])));
    const n = await page.evaluate<number>(`(document.querySelector('svg').tracebridge.search('^tcp_'), +document.querySelector('svg').dataset.matches)`);
    expect(n).toBeGreaterThan(0);
    fs.writeFileSync(path.join(SHOTS, 'seed-004-html.png'), await page.screenshot());
    expect(page.errors).toEqual([]);
  }, 60_000);
});
