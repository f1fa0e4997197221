/**
 * The one-scan header reader (fast-header.ts) stands in for two readers at once: wherever it
 * answers, its answer must be what the layout-aware `header()` and the stackcollapse-perf.pl
 * reading `scHeader()` give for the same line; where it does not answer, the line goes to them.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastHeader } from '../../../src/inputs/perf-script/fast-header.js';
import { header, scHeader } from '../../../src/inputs/perf-script/tokenize.js';
import { timeNs } from '../../../src/inputs/perf-script/records.js';
import { CORPUS, SAMPLES } from '../../support/convert-helpers.js';

/** Fails unless `line` is read alike by all three (or the fast reader declines). */
function agree(line: string): boolean {
  const f = fastHeader(line);
  if (!f) return false;
  const sc = scHeader(line);
  const h = header(line);
  expect(sc, line).toBeDefined();
  expect(h, line).toBeDefined();
  expect({ comm: f.comm, pid: f.pidText ?? '?', tid: f.tidText, event: f.event, period: f.periodText }, line).toEqual({
    comm: sc!.comm,
    pid: sc!.pid,
    tid: sc!.tid,
    event: sc!.event,
    period: sc!.period,
  });
  expect({ comm: f.comm, pid: f.pid, tid: f.tid, cpu: f.cpu, time: f.time, period: f.period, event: f.event, rest: '' }, line).toEqual({
    comm: h!.comm,
    pid: h!.pid,
    tid: h!.tid,
    cpu: h!.cpu,
    time: h!.time,
    period: h!.period,
    event: h!.event,
    rest: h!.rest,
  });
  // Out of range is NaN here, undefined there: both leave the sample at the latest time.
  expect(Number.isNaN(f.ns) ? undefined : f.ns).toBe(timeNs(h!.time));
  return true;
}

function headerLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !/^[\s#]/.test(l));
}

describe('fastHeader agrees with header() and scHeader()', () => {
  it('on the common layouts, and declines what it does not know', () => {
    const yes = [
      'sh 14519  3084.189090:     250000 cpu-clock:ppp: ',
      'java 24636/25607 [000] 94564.109216: 1 cycles:',
      'perf 47118 [011] 51499.088689:          1 page-faults:',
      'app  1234 [002] 5123.456789:     250000 cpu-clock:uhH:\t',
      'kworker/0:1 99 12.5: sched:sched_switch:',
      'a1 7 1.000000001: 12345:',
    ];
    for (const l of yes) expect(agree(l), l).toBe(true);
    const no = [
      'V8 WorkerThread 25607 4794564.109216: 104345 cycles:', // comm with a space
      'func_ab 15294 cpu-clock:', // no time
      'x 1 2.5: cycles:', // one-character comm
      'bash  4321 [001]  812.000001: sched:sched_switch: prev_comm=bash prev_pid=4321', // payload
      'false 64414 20110.539270:      34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])',
      'sh\t14519 3084.189090: 1 cycles:', // tab
      'sh 14519 3084.: 1 cycles:',
      'sh 14519 3084.1:1 cycles:',
      'sh 14519 3084.1: 250000 :',
    ];
    for (const l of no) expect(fastHeader(l), l).toBeUndefined();
  });

  it('on every header line of the samples and the corpus', () => {
    let read = 0;
    const texts: string[] = [];
    for (const f of fs.readdirSync(path.join(SAMPLES, 'perf-script'))) texts.push(fs.readFileSync(path.join(SAMPLES, 'perf-script', f), 'utf8'));
    const dir = path.join(CORPUS, 'perf_script');
    if (fs.existsSync(dir)) {
      for (const f of fs.readdirSync(dir)) {
        if (!/\.perf\.txt(\.gz)?$/.test(f)) continue;
        const b = fs.readFileSync(path.join(dir, f));
        texts.push((f.endsWith('.gz') ? zlib.gunzipSync(b) : b).toString('utf8'));
      }
    }
    for (const t of texts) {
      // Distinct lines only: most headers differ by their time alone.
      const seen = new Set<string>();
      for (const l of headerLines(t)) {
        const key = l.replace(/\d+\.\d+:/, 'T:');
        if (seen.has(key)) continue;
        seen.add(key);
        if (agree(l)) read++;
      }
    }
    // The samples alone (no corpus beside the project) hold few distinct headers of that layout.
    expect(read).toBeGreaterThan(fs.existsSync(dir) ? 10 : 0);
  });

  it('on generated header-like lines', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9_:/.\-]{1,12}$/);
    const digits = fc.stringMatching(/^[0-9]{1,8}$/);
    const sp = fc.constantFrom(' ', '  ', '      ');
    const line = fc.tuple(
      fc.oneof(word, fc.tuple(word, fc.constantFrom(' ', ' 1 ', '\t'), word).map((p) => p.join(''))),
      sp,
      fc.oneof(digits, fc.tuple(digits, digits).map(([a, b]) => `${a}/${b}`), word),
      sp,
      fc.option(digits.map((d) => `[${d}] `), { nil: '' }),
      fc.oneof(fc.tuple(digits, digits).map(([a, b]) => `${a}.${b}:`), digits.map((d) => `${d}:`), word),
      sp,
      fc.option(fc.tuple(digits, sp).map((p) => p.join('')), { nil: '' }),
      fc.oneof(word.map((w) => `${w}:`), digits.map((d) => `${d}:`), word),
      fc.constantFrom('', ' ', '\t', ' x', ': '),
    );
    let read = 0;
    fc.assert(
      fc.property(line, (parts) => {
        if (agree(parts.join(''))) read++;
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the fast layout often enough for the comparison to mean something.
    expect(read).toBeGreaterThan(100);
  });
});
