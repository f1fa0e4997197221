/**
 * `convert` as careful as `batch`: arguments checked before any work, the input never
 * overwritten, signals and closed pipes leave no temporary file, stale temporary files of a
 * killed run are removed by the next, messages name the output, `-q` prints only failures,
 * a non-empty input without events fails, and the help's examples run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { convert, ConvertError } from '../../src/pipeline/convert.js';
import { functionGraphText } from '../../src/bench/gen-function-graph.js';
import { CLI, ensureBuilt, runCliProcess, TEMP_MARK } from './batch/batch-helpers.js';
import { ROOT, SAMPLES } from '../support/convert-helpers.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const fg = path.join(SAMPLES, 'function-graph', 'abstime-column.txt');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-convert-'));

describe('convert: arguments checked before any work', () => {
  it('-o naming the input is a usage error and the input stays as it was', async () => {
    const d = tmp();
    const p = path.join(d, 'x.txt');
    fs.copyFileSync(fg, p);
    const before = fs.readFileSync(p);
    const r = await cli('convert', p, '-o', p, '--to', 'top');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is the input/);
    expect(fs.readFileSync(p).equals(before)).toBe(true);
    // The same file under another name (a hard link) is the input too.
    const link = path.join(d, 'y.txt');
    fs.linkSync(p, link);
    expect((await cli('convert', p, '-o', link, '--to', 'top')).code).toBe(2);
    expect(fs.readFileSync(p).equals(before)).toBe(true);
  });

  it('two inputs are a usage error before anything is written', async () => {
    const d = tmp();
    const out = path.join(d, 'a.json');
    const r = await cli('convert', fg, fg, '-o', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/one input/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--to contradicting the -o extension is a usage error', async () => {
    const d = tmp();
    const r = await cli('convert', fg, '--to', 'folded', '-o', path.join(d, 'y.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--to folded contradicts -o .*y\.json, a chrome-json name/);
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('-o naming a folder, or a file in a missing folder, says so with the output path', async () => {
    const d = tmp();
    const r = await cli('convert', fg, '-o', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`-o ${d} is a folder`);
    const missing = path.join(d, 'nope', 'out.json');
    const r2 = await cli('convert', fg, '-o', missing);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(`cannot write ${missing}`);
  });
});

describe('convert: failures and messages', () => {
  it('a non-empty input that yields no events fails (exit 1), saying which format was tried and what the input looked like', async () => {
    const d = tmp();
    const out = path.join(d, 'o.folded');
    const r = await cli('convert', fg, '--from', 'dmesg', '-o', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[input\.no-events\]: read as dmesg \(--from\), \d+ lines gave no event; the first line is "/);
    expect(fs.existsSync(out)).toBe(false);
    expect((await cli('convert', fg, '--from', 'dmesg', '--strict', '-o', out)).code).toBe(1);
  });

  it('an empty input reports 0 events', async () => {
    const d = tmp();
    const p = path.join(d, 'empty.txt');
    fs.writeFileSync(p, '');
    const r = await cli('convert', p, '--from', 'function-graph', '-o', path.join(d, 'e.json'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/: 0 lines, 0 events,/);
  });

  it('-q prints nothing on success and only the reason on failure', async () => {
    const d = tmp();
    const ok = await cli('convert', path.join(SAMPLES, 'function-graph', 'tracefs-default-starts-mid-call.txt'), '-q', '-o', path.join(d, 'a.json'));
    expect(ok.code).toBe(0);
    expect(ok.err).toBe('');
    const bad = await cli('convert', fg, '-q', '--from', 'dmesg', '-o', path.join(d, 'b.json'));
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/conversion failed \(.*input\.no-events/);
  });

  it('write errors name the output, never the temporary file (missing folder via the library)', async () => {
    const out = path.join(tmp(), 'gone', 'x.json');
    const e = await convert({ input: fg, output: out }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConvertError);
    expect((e as Error).message).toBe(`cannot write ${out}: its folder does not exist (ENOENT)`);
  });

  const mnt = path.join(os.tmpdir(), `tb-full-${process.pid}`);
  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    fs.mkdirSync(mnt, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
  })();
  it.skipIf(!canMount)('a full disk (ENOSPC) names the output and leaves no temporary file', async () => {
    try {
      const out = path.join(mnt, 'big.csv');
      const big = Buffer.from([...functionGraphText(400_000, 3)].join(''));
      const e = await convert({ input: big, output: out, from: 'function-graph' }).catch((x: unknown) => x);
      expect((e as Error).message).toBe(`cannot write ${out}: no space left on the device (ENOSPC)`);
      expect(fs.readdirSync(mnt)).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('convert process: signals, pipes, leftovers', () => {
  let big = '';
  beforeAll(() => {
    ensureBuilt();
    const d = tmp();
    big = path.join(d, 'big.txt');
    const fd = fs.openSync(big, 'w');
    for (const c of functionGraphText(60 << 20, 11)) fs.writeSync(fd, c);
    fs.closeSync(fd);
  });

  /** Starts a conversion and sends `sig` once its temporary file exists. */
  async function interrupted(sig: NodeJS.Signals) {
    const d = tmp();
    const out = path.join(d, 'out.json');
    const r = await runCliProcess(['convert', big, '-o', out], (p) => {
      const t = setInterval(() => {
        if (fs.readdirSync(d).some((f) => f.includes(TEMP_MARK))) {
          clearInterval(t);
          p.kill(sig);
        }
      }, 20);
      p.on('close', () => clearInterval(t));
    });
    return { r, left: fs.readdirSync(d) };
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s removes the temporary file and exits %i', async (sig, code) => {
    const { r, left } = await interrupted(sig);
    expect(r.code).toBe(code);
    expect(left).toEqual([]);
    expect(r.stderr).toMatch(/interrupted \(SIG[A-Z]+\); .*out\.json was not written/);
  });

  it('a temporary file left by SIGKILL is not an output and is removed by the next run writing the same output', async () => {
    const d = tmp();
    const out = path.join(d, 'out.json');
    await runCliProcess(['convert', big, '-o', out], (p) => {
      const t = setInterval(() => {
        if (fs.readdirSync(d).some((f) => f.includes(TEMP_MARK))) {
          clearInterval(t);
          p.kill('SIGKILL');
        }
      }, 20);
    });
    const left = fs.readdirSync(d);
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(TEMP_MARK);
    expect(path.extname(left[0]!)).not.toBe('.json');
    const r = await runCliProcess(['convert', fg, '-o', out]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(d)).toEqual(['out.json']);
  });

  it('a reader closing the pipe (EPIPE) ends the run with exit 1', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [CLI, 'convert', big, '--to', 'chrome-json', '-o', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      p.stderr.on('data', (c: Buffer) => (err += c.toString()));
      p.stdout.once('data', () => p.stdout.destroy());
      p.on('close', (c) => resolve({ code: c, stderr: err }));
    });
    expect(code).toBe(1);
    // One line saying what happened, no stack trace.
    expect(stderr).toBe('tracebridge: the output was closed by its reader (EPIPE)\n');
  });
});

describe('convert --help', () => {
  it('every example runs', () => {
    ensureBuilt();
    const help = execFileSync(process.execPath, [CLI, 'convert', '--help'], { encoding: 'utf8' });
    const section = help.slice(help.indexOf('Examples:'));
    const examples = section
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => /\btracebridge convert\b/.test(l))
      .map((l) => l.split(/ {2,}/)[0]!);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const d = tmp();
    fs.symlinkSync(path.join(ROOT, 'samples'), path.join(d, 'samples'));
    for (const ex of examples) {
      const cmd = ex.replace(/\btracebridge\b/g, `"${process.execPath}" "${CLI}"`);
      const r = spawnSync('sh', ['-c', cmd], { cwd: d, encoding: 'utf8' });
      expect(r.status, `${ex}\n${r.stderr}`).toBe(0);
    }
    expect(fs.readdirSync(d).sort()).toEqual(['libaio.folded', 'recvfrom.json', 'samples', 'sched.pftrace', 'stacks.csv']);
  });
});
