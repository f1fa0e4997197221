/**
 * `tracebridge active-path`: options, formats by extension, uncertainty diagnostics, errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../src/cli/active-path.js';
import { runCli } from '../../../src/cli/cli.js';

const FIX = path.join(import.meta.dirname, '..', '..', 'fixtures', 'active-path');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-ap-'));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('tracebridge active-path', () => {
  it('writes the CSV named by -o, one row per segment, and says what it wrote', async () => {
    const d = tmp();
    const r = await cli('active-path', path.join(FIX, '01-task-wake.lttng.txt'), '--tid', '100', '-o', path.join(d, 'p.csv'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/active path of T \(100\): 0\.040 ms, 4 segments → csv written to/);
    // No interrupt events in this trace: the warning says so.
    expect(r.err).toMatch(/warning\[active-path\.no-interrupts\]/);
    const rows = fs.readFileSync(path.join(d, 'p.csv'), 'utf8').trim().split('\n');
    expect(rows.slice(1).map((l) => l.split(',').slice(3, 6).join(' '))).toEqual(['100 T RUNNING', '200 B RUNNING', '100 T PREEMPTED', '100 T RUNNING']);
  });

  it('--comm picks the thread by name; --from/--to cut the window (+ is from the trace start)', async () => {
    const r = await cli('active-path', path.join(FIX, '08-nested.lttng.txt'), '--comm', 'T', '--from', '+2us', '--to', '+5us', '--format', 'csv', '-o', '-');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(2, 5).join(' ')),
    ).toEqual(['1000 300 C', '1000 400 D', '1000 300 C']);
  });

  it('top to a .txt file: the ranked summary, with the uncertainty at the end', async () => {
    const d = tmp();
    const r = await cli('active-path', path.join(FIX, '04-wrong-path.lttng.txt'), '--tid', '100', '-o', path.join(d, 'p.txt'), '-q');
    expect(r.code).toBe(0);
    const t = fs.readFileSync(path.join(d, 'p.txt'), 'utf8');
    expect(t).toMatch(/^Active path of T \(100\)/);
    expect(t).toMatch(/\nUNKNOWN\s+0\.072\s+80\.0%\n/);
    expect(t).toMatch(/uncertain: 1 wait\(s\) on the path were woken from an idle CPU/);
    expect(t.slice(0, t.indexOf('uncertain:'))).not.toMatch(/swapper/);
  });

  it('Perfetto and Chrome JSON by extension; the JSON has the path track and one s/f flow pair per hand-off', async () => {
    const d = tmp();
    const f = path.join(FIX, '08-nested.lttng.txt');
    expect((await cli('active-path', f, '--tid', '100', '-o', path.join(d, 'p.pftrace'), '-q')).code).toBe(0);
    expect(fs.statSync(path.join(d, 'p.pftrace')).size).toBeGreaterThan(100);
    expect((await cli('active-path', f, '--tid', '100', '-o', path.join(d, 'p.json'), '-q')).code).toBe(0);
    const j = JSON.parse(fs.readFileSync(path.join(d, 'p.json'), 'utf8')) as { traceEvents: { ph: string; id?: number; name?: string; args?: { name?: string } }[] };
    expect(j.traceEvents.some((e) => e.ph === 'M' && e.args?.name === 'Active path: T (100)')).toBe(true);
    expect(j.traceEvents.filter((e) => e.ph === 's').map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(j.traceEvents.filter((e) => e.ph === 'f').map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a missing thread, swapper, both or neither of --tid/--comm, an unknown extension', async () => {
    const f = path.join(FIX, '01-task-wake.lttng.txt');
    const d = tmp();
    const missing = await cli('active-path', f, '--tid', '999', '-o', path.join(d, 'p.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/thread 999 is not scheduled anywhere in the trace/);
    expect(fs.existsSync(path.join(d, 'p.csv'))).toBe(false);
    expect((await cli('active-path', f, '--tid', '0', '-o', path.join(d, 'p.csv'))).err).toMatch(/swapper/);
    expect((await cli('active-path', f, '-o', path.join(d, 'p.csv'))).code).toBe(2);
    expect((await cli('active-path', f, '--tid', '100', '--comm', 'T', '-o', path.join(d, 'p.csv'))).code).toBe(2);
    const ext = await cli('active-path', f, '--tid', '100', '-o', path.join(d, 'p.xyz'));
    expect(ext.code).toBe(2);
    expect(ext.err).toMatch(/cannot tell the output format/);
  });

  it('reads times with units', () => {
    expect(parseTime('2.5s')).toEqual({ ns: 2_500_000_000, relative: false });
    expect(parseTime('+1500ms')).toEqual({ ns: 1_500_000_000, relative: true });
    expect(parseTime('250us').ns).toBe(250_000);
    expect(parseTime('12345ns').ns).toBe(12345);
    expect(parseTime('1.000000001').ns).toBe(1_000_000_001);
    expect(() => parseTime('soon')).toThrow(/not a time/);
  });
});
