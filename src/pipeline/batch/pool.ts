/**
 * The worker pool: N threads, each running compiled `worker.js`. Units go to whichever worker is
 * free (largest first); members an archive's worker hands over are served before new units, so
 * the bytes waiting stay bounded. Which worker converts what never changes an output.
 */
import { Worker } from 'node:worker_threads';
import type { BatchConfig, FromWorker, ManifestEntry, MemberJob, ToWorker, Unit } from './types.js';
import { problem } from './types.js';
import { inShard } from './shard.js';
import type { WorkerData } from './worker.js';

export interface PoolHooks {
  onEntry(e: ManifestEntry): void;
  onProgress(bytes: number): void;
  signal?: AbortSignal;
}

type Task = ({ type: 'unit'; unit: Unit } | { type: 'member'; job: MemberJob }) & { retried?: boolean };

interface Slot {
  worker: Worker;
  task: Task | null;
  id: number;
}

/** Where the compiled worker is (beside this file once built). */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

export async function runPool(units: Unit[], cfg: BatchConfig, hooks: PoolHooks): Promise<{ interrupted: boolean }> {
  if (import.meta.url.endsWith('.ts')) {
    throw new Error('batch workers run compiled JavaScript: build with `npm run build` and use dist/');
  }
  const queued = new SharedArrayBuffer(4);
  const counter = new Int32Array(queued);
  const queueLimit = Math.min(256 << 20, (32 << 20) * cfg.jobs);
  const data: WorkerData = { cfg, queued, queueLimit };

  // Archives first (they may hand members to the others), then the biggest files.
  const todo: Task[] = [...units]
    .sort((a, b) => (a.kind === b.kind ? b.size - a.size : a.kind === 'archive' ? -1 : 1))
    .map((unit) => ({ type: 'unit', unit }));
  const members: Task[] = [];
  let nextId = 1;
  let stopped = false;

  return new Promise((resolve, reject) => {
    const slots: Slot[] = [];
    const finish = (interrupted: boolean) => {
      if (stopped) return;
      stopped = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      Promise.all(slots.map((s) => s.worker.terminate())).then(
        () => resolve({ interrupted }),
        () => resolve({ interrupted }),
      );
    };
    const onAbort = () => finish(true);
    if (hooks.signal?.aborted) {
      resolve({ interrupted: true });
      return;
    }
    hooks.signal?.addEventListener('abort', onAbort);

    const dispatch = () => {
      if (stopped) return;
      for (const s of slots) {
        if (s.task) continue;
        const t = members.shift() ?? todo.shift();
        if (!t) break;
        s.task = t;
        s.id = nextId++;
        const msg: ToWorker = t.type === 'unit' ? { type: 'unit', id: s.id, unit: t.unit } : { type: 'member', id: s.id, job: t.job };
        // The bytes of a member move to the worker (no copy).
        s.worker.postMessage(msg, t.type === 'member' ? [t.job.bytes.buffer as ArrayBuffer] : []);
      }
      if (slots.every((s) => !s.task) && members.length === 0 && todo.length === 0) finish(false);
    };

    const spawn = (): Slot => {
      const slot: Slot = { worker: new Worker(WORKER_URL, { workerData: data }), task: null, id: 0 };
      slot.worker.on('message', (m: FromWorker) => {
        if (stopped) return;
        switch (m.type) {
          case 'ready':
            return;
          case 'entry':
            hooks.onEntry(m.entry);
            return;
          case 'progress':
            hooks.onProgress(m.bytes);
            return;
          case 'offload':
            members.push({ type: 'member', job: m.job });
            dispatch();
            return;
          case 'done':
            if (m.id === slot.id) slot.task = null;
            dispatch();
            return;
        }
      });
      const crashed = (why: string) => {
        if (stopped) return;
        const t = slot.task;
        slot.task = null;
        if (t && !t.retried && t.type === 'unit' && t.unit.kind === 'file') {
          // A file once more on a fresh worker (it reports one entry, so it cannot report
          // twice; an archive may have reported members already, and a member's bytes went
          // to the worker that died).
          todo.unshift({ ...t, retried: true });
        } else if (t) {
          const rel = t.type === 'unit' ? t.unit.rel : t.job.rel;
          if (t.type === 'member') Atomics.sub(counter, 0, t.job.reserved);
          if (t.type === 'member' || inShard(rel, cfg.shard)) hooks.onEntry(problem(rel, 'crashed', `the worker converting it stopped: ${why}`));
        }
        const i = slots.indexOf(slot);
        if (i !== -1) slots[i] = spawn();
        dispatch();
      };
      slot.worker.on('error', (e) => crashed(e.stack ?? e.message));
      slot.worker.on('exit', (code) => crashed(`exit code ${code}`));
      return slot;
    };

    // Without archives there is no more work than units: no idle threads to start.
    const n = units.some((u) => u.kind === 'archive') ? cfg.jobs : Math.min(cfg.jobs, todo.length);
    try {
      for (let i = 0; i < n; i++) slots.push(spawn());
    } catch (e) {
      reject(e);
      return;
    }
    dispatch();
  });
}
