import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { inputs } from '../../src/inputs/registry.js';
import { outputs } from '../../src/outputs/registry.js';
import { ROOT, SAMPLES } from '../support/convert-helpers.js';
import { ensureBuilt } from './batch/batch-helpers.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const sample = path.join(SAMPLES, 'function-graph', 'tracefs-default-starts-mid-call.txt');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-'));

describe('tracebridge CLI', () => {
  it('formats lists every input and output', async () => {
    const r = await cli('formats');
    expect(r.code).toBe(0);
    for (const a of [...inputs, ...outputs]) expect(r.out).toContain(a.name);
  });
  it('--help shows the commands and examples', async () => {
    const r = await cli('convert', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/--weight/);
  });
  it('converts by the -o extension, prints file:line warnings and a summary, exits 0', async () => {
    const d = tmp();
    const r = await cli('convert', sample, '-o', path.join(d, 't.json'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`${sample.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:27: warning\\[function-graph\\.unmatched-exit\\]`));
    expect(r.err).toMatch(/warning function-graph\.unmatched-exit ×3/);
    expect(JSON.parse(fs.readFileSync(path.join(d, 't.json'), 'utf8')).traceEvents.length).toBeGreaterThan(10);
  });
  it('--strict fails on warnings (exit 1) and --quiet prints no diagnostic lines', async () => {
    const d = tmp();
    const r = await cli('convert', sample, '-o', path.join(d, 't.csv'), '--strict', '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/:\d+: warning/);
    expect(r.err).toMatch(/--strict/);
  });
  it('usage errors exit 2: unknown option, unknown format, no output format', async () => {
    expect((await cli('convert', sample, '--bogus')).code).toBe(2);
    expect((await cli('convert', sample, '--to', 'pdf')).code).toBe(2);
    expect((await cli('convert', sample, '-o', 'x.unknown')).code).toBe(2);
    expect((await cli('convert', sample)).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });
  it('a missing file or an unknown input is a failed conversion (exit 1) with a reason', async () => {
    const r = await cli('convert', '/nonexistent/trace.txt', '--to', 'csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read \/nonexistent\/trace\.txt/);
    const d = tmp();
    fs.writeFileSync(path.join(d, 'prose.txt'), 'just some words\n');
    const u = await cli('convert', path.join(d, 'prose.txt'), '--to', 'csv');
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/cannot tell the input format .* \(tried .*function-graph: no.*\); use --from/);
  });
  it('the installed bin runs by itself (shebang, executable bit), as `npx tracebridge` does', () => {
    ensureBuilt();
    const r = spawnSync(path.join(ROOT, 'dist/cli/main.js'), ['formats'], { encoding: 'utf8' });
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/function-graph/);
  });
});

