/**
 * Whose trace follows: task lines (`CPU: 1 PID: 123 Comm: bash`, `task:bash state:D ... pid:12`,
 * `Pid: 1, comm: init`, `Process bash (pid: 12, ...)`, kmemleak's `comm "bash", pid 12`, `NMI
 * backtrace for cpu 1`, sched_show_task() before 4.18) and labels (KASAN's `Allocated by task
 * 12:`, `/proc/12/stack`, `... stack trace:`).
 */
import { title } from './scan.js';
import { REGS, REPORT, type Token, type WordRule } from './tokens.js';

/** The kind of a task-state line (sysrq-t/w, hung task, sched_show_task). */
export const TASK_STATE = 'task state';

const RE_CPU_LINE = /^CPU:\s*(\d+)\s+(?:UID:\s*\d+\s+)?PID:\s*(\d+)\s+Comm:\s*(.*?)(?:\s+(?:Not tainted|Tainted:|Not\s*$)|\s*$)/;
const RE_TASK_LINE = /^task:(.*?)\s+state:\S*.*?\bpid:\s*(\d+)/;
const RE_LABEL_TASK = /^(?:Allocated|Freed) by task (\d+)/;
const RE_OLD_TASK = /^(\S(?:.{0,14}\S)?)\s+[RSDTtXZPIKW]\+?\s+(?:running task\s+|[0-9a-f]{8,16}\s+)?\d+\s+(\d+)\s+\d+\s+0x[0-9a-f]+$/;
const RE_PROC_STACK = /^(?:==> )?(\/proc\/(\d+)(?:\/task\/(\d+))?\/stack)(?: <==|:)?\s*$/;

const allocLabel: WordRule = (_s, _j, _next, rest) => {
  const m = RE_LABEL_TASK.exec(rest);
  return m ? { t: 'label', text: title(rest.replace(/:\s*$/, '')), pid: Number(m[1]) } : null;
};

const workLabel = (rest: string): Token | null =>
  /potentially related work creation:/.test(rest) ? { t: 'label', text: title(rest.replace(/:\s*$/, '')) } : null;

/** First words of task and label lines; a rule returns null when the line is not one. */
export const TASK_WORDS: Record<string, WordRule> = {
  CPU: (_s, _j, next, rest) => {
    const m = RE_CPU_LINE.exec(rest);
    if (m) return { t: 'task', cpu: Number(m[1]), pid: Number(m[2]), comm: m[3]!.trim() || undefined, newDump: true };
    return next === 58 ? REGS : null; // x86_32 `CPU:    0`
  },
  Pid: (_s, _j, _next, rest) => {
    const m = /^Pid: (\d+), comm: (\S+)/.exec(rest);
    return m ? { t: 'task', pid: Number(m[1]), comm: m[2]!, newDump: true } : null;
  },
  task: (_s, _j, next, rest) => {
    if (next !== 58) return null;
    const m = RE_TASK_LINE.exec(rest);
    if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!.trim(), kind: TASK_STATE, newDump: true };
    return REGS; // powerpc `task: c000000010d4ec70 ti: ...`
  },
  Process: (_s, _j, _next, rest) => {
    const m = /^Process (.*?) \(pid: (\d+)/.exec(rest);
    return m ? { t: 'task', pid: Number(m[2]), comm: m[1]!, newDump: false } : null;
  },
  comm: (_s, _j, _next, rest) => {
    const m = /^comm "(.*)", pid (\d+)/.exec(rest);
    return m ? { t: 'task', pid: Number(m[2]), comm: m[1]!, newDump: false } : null;
  },
  NMI: (_s, _j, _next, rest) => {
    const m = /^NMI backtrace for cpu (\d+)(.*)$/.exec(rest);
    if (!m) return null;
    return m[2]!.includes('skipped') ? REPORT : { t: 'task', cpu: Number(m[1]), kind: 'NMI backtrace', newDump: true };
  },
  Allocated: allocLabel,
  Freed: allocLabel,
  // s390 `Last Breaking-Event-Address:` (the frame after it is not part of the trace).
  Last: (s, j, _next, rest) => (s.startsWith(' Breaking-Event-Address:', j) ? { t: 'skip-next-frame' } : workLabel(rest)),
  Second: (_s, _j, _next, rest) => workLabel(rest),
};

/** `/proc/PID/stack` listings: `==> /proc/1/task/7/stack <==` (tail/head), `/proc/1/stack:`. */
export function procStack(rest: string): Token | null {
  const m = RE_PROC_STACK.exec(rest);
  return m ? { t: 'label', text: m[1]!, pid: Number(m[3] ?? m[2]) } : null;
}

/** What a line's end says (`... stack trace:`), or an old kernel's task line; `tail` is trimmed. */
export function tailLabel(tail: string): Token | null {
  if (tail.endsWith(' stack trace:') || tail.endsWith(' stack dump:')) return { t: 'label', text: title(tail.slice(0, -1)) };
  if (tail.lastIndexOf(' 0x') > 0) {
    // sched_show_task() before 4.18: `init  D ffff88008addf688  0  2295  1 0x00000000`.
    const m = RE_OLD_TASK.exec(tail);
    if (m) return { t: 'task', pid: Number(m[2]), comm: m[1]!, kind: TASK_STATE, newDump: true };
  }
  return null;
}
