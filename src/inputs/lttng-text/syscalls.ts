/**
 * System calls as slices on the calling thread: LTTng's `syscall_entry_NAME`/`syscall_exit_NAME`
 * (and the older `sys_NAME`/`exit_syscall`), perf's `syscalls:sys_enter_NAME` and
 * `raw_syscalls:sys_enter` (by number). clone and fork return twice: the child's return is an
 * instant.
 */
import { CAT } from '../../model/events.js';
import { argsOf, type Context } from './context.js';
import type { Domain } from './meaning.js';
import type { LttngRecord } from './record.js';
import { trackOf } from './tracks.js';
import { type Fields, intOf } from './values.js';

function rawSyscallName(p: Fields): string {
  const id = intOf(p.id);
  return Number.isFinite(id) ? `sys_${id}` : 'syscall';
}

const RETURNS_IN_CHILD = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** `arg`: the syscall's name, from the event name (raw syscalls have only a number). */
export function onSysEntry(cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined): void {
  const name = arg ?? rawSyscallName(r.payload);
  cx.nest.open(trackOf(cx, r, dom, cpu), r.ts, name, name, CAT.syscall, r.line, argsOf(r, false));
}

function sysExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined, byName: boolean): void {
  const track = trackOf(cx, r, dom, cpu);
  const top = cx.nest.top(track);
  const name = arg ?? top?.name ?? rawSyscallName(r.payload);
  if (RETURNS_IN_CHILD.has(name) && top?.key !== name) {
    cx.b.instant(track, r.ts, `${name} (child returns)`, CAT.syscall, r.line, argsOf(r, false));
    return;
  }
  cx.nest.close(track, r.ts, byName ? name : undefined, CAT.syscall, name, r.line, argsOf(r, false));
}

/** An exit that names its syscall ends that one. */
export function onSysExit(cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined): void {
  sysExit(cx, r, dom, cpu, arg, true);
}

/** An exit of whichever syscall is open (`exit_syscall`, `raw_syscalls:sys_exit`). */
export function onSysExitAny(cx: Context, r: LttngRecord, dom: Domain, cpu: number, arg: string | undefined): void {
  sysExit(cx, r, dom, cpu, arg, false);
}
