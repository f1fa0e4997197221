/**
 * `batch` stops on SIGHUP as on SIGINT and SIGTERM: the outputs finished so far are whole, no
 * temporary file is left, no manifest is written, and the exit code is 128 + the signal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionGraphText } from '../../../src/bench/gen-function-graph.js';
import { ensureBuilt, listFiles, runCliProcess, TEMP_MARK } from './batch-helpers.js';

describe('batch interrupted by a signal', () => {
  let tree = '';
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-batch-sig-'));

  beforeAll(() => {
    ensureBuilt();
    tree = path.join(tmp(), 'in');
    fs.mkdirSync(tree);
    for (let i = 0; i < 8; i++) {
      const fd = fs.openSync(path.join(tree, `t${i}.txt`), 'w');
      for (const c of functionGraphText(12 << 20, i + 1)) fs.writeSync(fd, c);
      fs.closeSync(fd);
    }
  });

  it.each([
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: exit %i, finished outputs whole, no temporary file, no manifest', async (sig, code) => {
    const out = path.join(tmp(), 'out');
    let sent = false;
    const r = await runCliProcess(['batch', tree, '--out', out, '--to', 'chrome-json', '-j', '2'], (p) => {
      const t = setInterval(() => {
        // Once a conversion is under way (its temporary file exists).
        if (fs.existsSync(out) && listFiles(out).some((f) => f.includes(TEMP_MARK))) {
          clearInterval(t);
          sent = true;
          p.kill(sig);
        }
      }, 10);
      p.on('close', () => clearInterval(t));
    });
    expect(sent, 'the run ended before a conversion started').toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`interrupted (${sig}); finished outputs are whole, no manifest was written`);
    const left = listFiles(out);
    expect(left.filter((f) => f.includes(TEMP_MARK))).toEqual([]);
    expect(left).not.toContain('manifest.json');
    expect(left.length, 'every input was converted before the signal').toBeLessThan(8);
    for (const f of left) expect(() => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')), `${f} is whole`).not.toThrow();
  });
});
