/**
 * Report headers: the first line the kernel prints for an incident (`WARNING:`, `BUG:`, an Oops,
 * KASAN, a hung task, an RCU stall, a sysrq dump, ...) and its reason, plus the report text that
 * is understood and never ends a call trace.
 */
import { title } from './scan.js';
import { REPORT, type Token } from './tokens.js';

const RE_HUNG = /^INFO: task (.*):(\d+) blocked for more than/;
const RE_DIE = /^[a-z][a-z ]{2,30}: [0-9a-f]{4} \[#\d+\]/;
const RE_HEADER_CPU_PID = /CPU: (\d+) PID: (\d+)/;

/** First characters of the report headers `classifyHeader` knows (the rest are found anywhere). */
const HEADER_START = new Set([...'WBIKkOUgwNrsSuF['].map((c) => c.charCodeAt(0)));

const RE_SLAB_BUG = /^BUG [^\s()]+ \([^)]*\): \S/;

export function classifyHeader(s: string): Token | null {
  if (!HEADER_START.has(s.charCodeAt(0))) {
    // `invalid opcode: 0000 [#1] SMP`; the regular expression only where its ` [#` is.
    if (s.includes(' [#') && RE_DIE.test(s)) return { t: 'header', reason: 'Oops', title: title(s), refine: true };
    return anywhereHeader(s);
  }
  // Ordered by how often they occur.
  if (s.startsWith('WARNING:')) {
    const m = RE_HEADER_CPU_PID.exec(s);
    const plain = s.startsWith('WARNING: CPU:') || s.startsWith('WARNING: at ');
    const reason = !plain && /lock|RCU|deadlock/i.test(s) ? 'lockdep' : 'WARNING';
    return m
      ? { t: 'header', reason, title: title(s), refine: false, cpu: Number(m[1]), pid: Number(m[2]) }
      : { t: 'header', reason, title: title(s), refine: false };
  }
  // SLUB's `BUG <cache> (<taint>): <what>` (`BUG UNIX (Not tainted): kasan: bad access detected`).
  if (s.startsWith('BUG ') && RE_SLAB_BUG.test(s)) return { t: 'header', reason: 'BUG', title: title(s), refine: false };
  if (s.startsWith('BUG:')) {
    let reason = 'BUG';
    if (s.startsWith('BUG: KASAN')) reason = 'KASAN';
    else if (s.startsWith('BUG: KMSAN')) reason = 'KMSAN';
    else if (s.startsWith('BUG: KFENCE')) reason = 'KFENCE';
    else if (s.startsWith('BUG: KCSAN')) reason = 'KCSAN';
    else if (s.startsWith('BUG: soft lockup')) reason = 'soft lockup';
    else if (/^BUG: (?:unable to handle|kernel NULL pointer|kernel paging)/.test(s)) reason = 'Oops';
    return { t: 'header', reason, title: title(s), refine: false };
  }
  if (s.startsWith('INFO: ')) {
    const h = RE_HUNG.exec(s);
    if (h) return { t: 'header', reason: 'hung task', title: title(s), refine: false, comm: h[1]!, pid: Number(h[2]) };
    if (/stall/.test(s)) return { t: 'header', reason: 'RCU stall', title: title(s), refine: false };
    if (/lock|non-static key|RCU/i.test(s)) return { t: 'header', reason: 'lockdep', title: title(s), refine: false };
    return null;
  }
  if (s.startsWith('Kernel panic - not syncing')) return { t: 'header', reason: 'panic', title: title(s), refine: false };
  if (s.startsWith('kernel BUG at') || s.startsWith('Kernel BUG at')) return { t: 'header', reason: 'BUG', title: title(s), refine: true };
  if (s.startsWith('Oops') || s.startsWith('Internal error:') || s.startsWith('Unhandled fault:')) {
    return { t: 'header', reason: 'Oops', title: title(s), refine: true };
  }
  if (s.startsWith('Unable to handle kernel')) return { t: 'header', reason: 'Oops', title: title(s), refine: false };
  if (s.startsWith('general protection fault') || RE_DIE.test(s)) return { t: 'header', reason: 'Oops', title: title(s), refine: true };
  if (s.startsWith('UBSAN:')) return { t: 'header', reason: 'UBSAN', title: title(s), refine: false };
  if (/^(?:KASAN|KMSAN|KFENCE|KCSAN): /.test(s)) {
    return { t: 'header', reason: s.slice(0, s.indexOf(':')), title: title(s), refine: true };
  }
  if (s.startsWith('watchdog: ') || s.startsWith('NMI watchdog: ')) {
    if (s.includes('soft lockup')) return { t: 'header', reason: 'soft lockup', title: title(s), refine: false };
    if (s.includes('hard LOCKUP')) return { t: 'header', reason: 'hard lockup', title: title(s), refine: false };
    return REPORT;
  }
  if (s.startsWith('rcu: ')) {
    if (s.includes('INFO') && s.includes('stall')) return { t: 'header', reason: 'RCU stall', title: title(s), refine: false };
    return REPORT;
  }
  if (/^(?:sysrq: |SysRq ?: )/.test(s)) {
    return s.includes('Show') ? { t: 'header', reason: 'sysrq', title: title(s), refine: false } : REPORT;
  }
  if (s.startsWith('unreferenced object ')) return { t: 'header', reason: 'kmemleak', title: title(s), refine: false };
  if (s.startsWith('FAULT_INJECTION: ')) return { t: 'header', reason: 'fault injection', title: title(s), refine: false };
  if (s.startsWith('[ ') && s.endsWith(' ]') && /^\[ (?:INFO|BUG|WARNING): /.test(s)) {
    return { t: 'header', reason: 'lockdep', title: title(s.slice(2, -2)), refine: false };
  }
  return anywhereHeader(s);
}

/** Headers that start with a task name. */
function anywhereHeader(s: string): Token | null {
  if (s.indexOf(': ') < 0) return null;
  if (s.includes(' invoked oom-killer: ')) return { t: 'header', reason: 'OOM', title: title(s), refine: false };
  if (s.includes('allocation failure: ') || s.includes('page allocation stalls for')) {
    return { t: 'header', reason: 'allocation failure', title: title(s), refine: false };
  }
  return null;
}

/** Report text we understand and that never ends a call trace. */
const REPORT_PREFIXES = [
  'Modules linked in:',
  'Hardware name:',
  'Workqueue:',
  'Kernel Offset:',
  'Dumping ftrace buffer:',
  '(ftrace buffer empty)',
  'Sending NMI from CPU',
  'stack backtrace:',
  'Showing all locks held',
  'Showing busy workqueues',
  'other info that might help us debug this:',
  '---[ end Kernel panic',
  'Rebooting in ',
  'note: ',
  'Tainted: ',
  'irq event stamp:',
  'hardirqs last',
  'softirqs last',
  'The buggy address',
  'Memory state around the buggy address:',
  'Read of size',
  'Write of size',
  'kernel tried to execute',
  'Unable to access opcode bytes',
  'potentially unexpected fatal signal',
];

const REPORT_BY_CHAR = new Map<number, string[]>();
for (const p of REPORT_PREFIXES) {
  const c = p.charCodeAt(0);
  const l = REPORT_BY_CHAR.get(c);
  if (l) l.push(p);
  else REPORT_BY_CHAR.set(c, [p]);
}

/** Report text that never ends a call trace (`Modules linked in:`, `Hardware name:`, ...). */
export function isKnownReport(rest: string): boolean {
  const known = REPORT_BY_CHAR.get(rest.charCodeAt(0));
  if (known) for (const p of known) if (rest.startsWith(p)) return true;
  return false;
}
