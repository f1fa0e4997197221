/**
 * batch prints names with control characters escaped (a newline in a name cannot forge a
 * status line), and an entry that cannot be stat'ed (a path too long) is a failure, not a
 * skipped broken link.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { printable } from '../../../src/cli/batch.js';
import { ensureBuilt, runCliProcess, SAMPLES } from './batch-helpers.js';

const sample = fs.readFileSync(path.join(SAMPLES, 'function-graph', 'abstime-column.txt'));

describe('batch messages', () => {
  beforeAll(() => ensureBuilt());

  it('escapes control characters in every line it prints', async () => {
    expect(printable('a\nconverted  b\tc\u001b[31m\u0085')).toBe('a\\nconverted  b\\tc\\x1b[31m\\x85');
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bm-'));
    const inDir = path.join(d, 'in');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'x\nconverted  fake.txt → fake.json (function-graph, 1 events).txt'), sample);
    fs.writeFileSync(path.join(inDir, 'notes\u001b[2J.md'), 'hello\n');
    const r = await runCliProcess(['batch', inDir, '--out', path.join(d, 'out'), '--to', 'folded', '-j', '1']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => /^(converted|skipped) /.test(l))).toBe(true);
    expect(r.stderr).toContain('x\\nconverted  fake.txt');
    expect(r.stderr).toContain('notes\\x1b[2J.md');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('reports an entry too deep to stat as failed, not as a skipped link', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bm-'));
    const inDir = path.join(d, 'in');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'ok.txt'), sample);
    // 24 levels of 200-character names: deeper than PATH_MAX (4096) from the input folder.
    const seg = 'd'.repeat(200);
    const make = `const fs=require('fs');process.chdir(${JSON.stringify(inDir)});for(let i=0;i<24;i++){fs.mkdirSync('${seg}');process.chdir('${seg}')}fs.writeFileSync('deep.txt','x')`;
    const r0 = spawnSync(process.execPath, ['-e', make], { encoding: 'utf8' });
    expect(r0.status, r0.stderr).toBe(0);
    const r = await runCliProcess(['batch', inDir, '--out', path.join(d, 'out'), '--to', 'folded', '-j', '1']);
    expect(r.stderr).not.toMatch(/^skipped .*(broken-symlink|symbolic link)/m);
    expect(r.stderr).toMatch(/^FAILED /m);
    expect(r.code).toBe(1);
  });
});
