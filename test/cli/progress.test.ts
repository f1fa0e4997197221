/**
 * `convert`'s progress bar: drawn on standard error when it is a terminal and the conversion is
 * still running a second after it began; nothing otherwise (not a terminal, a conversion done
 * within the second, --quiet). Driven through io.ts: an injected terminal flag, stream and timers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionGraphText } from '../../src/bench/gen-function-graph.js';
import { runCli } from '../../src/cli/cli.js';
import type { CliIo, Timers } from '../../src/cli/io.js';
import { PROGRESS_DELAY_MS } from '../../src/cli/progress.js';
import { SAMPLES } from '../support/convert-helpers.js';

/** A terminal-like stream that keeps what is drawn on it. */
function terminal() {
  let drawn = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        drawn += chunk.toString();
        cb();
      },
    }),
    { isTTY: true, columns: 100, rows: 40 },
  );
  return { stream, drawn: () => drawn };
}

/**
 * Timers whose clock the test moves: `elapse` runs what was due by then. `setTimeout` is only
 * recorded, so a conversion "takes more than a second" exactly when the test says so.
 */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const asked: number[] = [];
  const cleared: number[] = [];
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { fn, ms });
      asked.push(ms);
      return id;
    },
    clearTimeout: (h) => {
      cleared.push(h as number);
      pending.delete(h as number);
    },
    now: () => 0,
  };
  const elapse = (ms: number) => {
    for (const [id, t] of [...pending]) {
      if (t.ms <= ms) {
        pending.delete(id);
        t.fn();
      }
    }
  };
  return { timers, asked, cleared, elapse };
}

describe('convert progress bar', () => {
  let big = '';
  let size = 0;
  const small = path.join(SAMPLES, 'function-graph', 'abstime-column.txt');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-progress-'));

  beforeAll(() => {
    big = path.join(dir, 'big.txt');
    const fd = fs.openSync(big, 'w');
    for (const c of functionGraphText(8 << 20, 3)) fs.writeSync(fd, c);
    fs.closeSync(fd);
    size = fs.statSync(big).size;
  });

  async function run(input: string, extra: Partial<CliIo>, args: string[] = [], during?: () => void) {
    let err = '';
    const io: CliIo = { stdout: () => undefined, stderr: (s) => (err += s), ...extra };
    const p = runCli(['convert', input, '-o', path.join(dir, `out-${Math.random().toString(36).slice(2)}.folded`), ...args], io);
    during?.();
    const code = await p;
    return { code, err };
  }

  it('on a terminal, a conversion still running after a second draws a bar of the input bytes, cleared at the end', async () => {
    const term = terminal();
    const t = manualTimers();
    // The second passes as soon as the conversion has started.
    const r = await run(big, { stderrIsTTY: true, stderrStream: term.stream, timers: t.timers }, [], () => t.elapse(PROGRESS_DELAY_MS));
    expect(r.code).toBe(0);
    expect(t.asked).toEqual([PROGRESS_DELAY_MS]);
    expect(PROGRESS_DELAY_MS).toBe(1000);
    const drawn = term.drawn();
    expect(drawn).toMatch(new RegExp(`\\d+% \\| \\d+/${size} bytes \\| ETA`));
    // clearOnComplete: after the last bar, the line is erased (cursor to column 1, clear line).
    expect(drawn.lastIndexOf('\u001b[1G\u001b[2K')).toBeGreaterThan(drawn.lastIndexOf(' bytes | ETA'));
    // The summary still goes to standard error as text.
    expect(r.err).toMatch(/function-graph → folded: \d+ lines/);
  });

  it('on a terminal, a conversion done within the second draws nothing and cancels its timer', async () => {
    const term = terminal();
    const t = manualTimers();
    const r = await run(small, { stderrIsTTY: true, stderrStream: term.stream, timers: t.timers });
    expect(r.code).toBe(0);
    expect(t.asked).toEqual([PROGRESS_DELAY_MS]);
    expect(t.cleared).toHaveLength(1);
    expect(term.drawn()).toBe('');
  });

  it('off a terminal, or with --quiet, no bar is even planned', async () => {
    for (const [tty, args] of [
      [false, []],
      [true, ['-q']],
    ] as const) {
      const term = terminal();
      const t = manualTimers();
      const r = await run(small, { stderrIsTTY: tty, stderrStream: term.stream, timers: t.timers }, [...args], () => t.elapse(PROGRESS_DELAY_MS));
      expect(r.code).toBe(0);
      expect(t.asked).toEqual([]);
      expect(term.drawn()).toBe('');
    }
  });
});
