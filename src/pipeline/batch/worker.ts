/**
 * A batch worker thread: takes one unit (or one handed-over member) at a time and reports a
 * manifest entry per input, progress, and members it hands to other workers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchConfig, FromWorker, ManifestEntry, MemberJob, ToWorker } from './types.js';
import { problem } from './types.js';
import { runMember, runUnit } from './units.js';
import type { UnitContext } from './units.js';

export interface WorkerData {
  cfg: BatchConfig;
  /** Int32 [0]: bytes of handed-over members not yet converted, shared by all workers. */
  queued: SharedArrayBuffer;
  /** Most bytes of handed-over members allowed to wait. */
  queueLimit: number;
}

const port = parentPort!;
const data = workerData as WorkerData;
const queued = new Int32Array(data.queued);
const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer ?? []);

let pending = 0;
let lastPost = Date.now();
const progress = (n: number) => {
  pending += n;
  const now = Date.now();
  if (pending >= 4 << 20 || now - lastPost > 200) flush(now);
};
const flush = (now = Date.now()) => {
  if (pending) post({ type: 'progress', bytes: pending });
  pending = 0;
  lastPost = now;
};

const made = new Set<string>();

function context(id: number): UnitContext {
  return {
    cfg: data.cfg,
    made,
    emit: (entry: ManifestEntry) => post({ type: 'entry', id, entry }),
    progress,
    reserve: (n: number) => {
      if (n < 0) {
        Atomics.sub(queued, 0, -n);
        return true;
      }
      const after = Atomics.add(queued, 0, n) + n;
      if (after <= data.queueLimit) return true;
      Atomics.sub(queued, 0, n);
      return false;
    },
    offload: (job: MemberJob) => post({ type: 'offload', job }, [job.bytes.buffer as ArrayBuffer]),
  };
}

port.on('message', (m: ToWorker) => {
  void (async () => {
    const ctx = context(m.id);
    try {
      if (m.type === 'unit') await runUnit(m.unit, ctx);
      else await runMember(m.job, ctx);
    } catch (e) {
      const rel = m.type === 'unit' ? m.unit.rel : m.job.rel;
      ctx.emit(problem(rel, 'crashed', `internal error: ${(e as Error)?.stack ?? String(e)}`));
    } finally {
      if (m.type === 'member') Atomics.sub(queued, 0, m.job.reserved);
      flush();
      post({ type: 'done', id: m.id });
    }
  })();
});

post({ type: 'ready' });
