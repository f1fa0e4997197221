/** What the dmesg tokenizer makes of one message: the token kinds and the flags it reads. */
import type { RawFrame } from '../../model/stacks.js';

export type Item = { kind: 'open'; section: string } | { kind: 'close'; section: string } | { kind: 'frame'; frame: RawFrame };

export type Token =
  | { t: 'blank' }
  | { t: 'frames'; items: Item[]; strong: boolean }
  /** Looks like a frame (address, `?`, marker) but the rest could not be read. */
  | { t: 'bad-frame' }
  /** arm32 `callee from caller`. */
  | { t: 'arm'; callee: RawFrame; caller: RawFrame | undefined; callerInline?: boolean }
  /** `<Same stack as pid 2294>` (old sysrq-t/hung-task dumps). */
  | { t: 'same-stack'; pid: number }
  /** Where the CPU was: RIP, pc, epc, NIP, PSW, `EIP is at`, `PC is at`, `--- interrupt: at`. */
  | { t: 'fault'; frame: RawFrame }
  | { t: 'trace-start'; items: Item[] }
  | { t: 'trace-end' }
  | { t: 'header'; reason: string; title: string; refine: boolean; cpu?: number; pid?: number; comm?: string }
  | { t: 'task'; cpu?: number; pid?: number; comm?: string; kind?: string; newDump: boolean }
  | { t: 'label'; text: string; pid?: number }
  | { t: 'registers' }
  | { t: 'code' }
  | { t: 'report' }
  /** s390 `Last Breaking-Event-Address:`: the frame after it is not part of the trace. */
  | { t: 'skip-next-frame' }
  | { t: 'count'; label: string; count: number }
  | { t: 'total'; count: number }
  | { t: 'bpf-open'; name: string; key: string }
  | { t: 'bpf-close'; count: number }
  /** A line holding only `[module]`: the end of a frame a mailer wrapped. */
  | { t: 'wrapped-module'; module: string }
  | { t: 'text' };

export const BLANK: Token = { t: 'blank' };
export const TEXT: Token = { t: 'text' };
export const BAD: Token = { t: 'bad-frame' };
export const REGS: Token = { t: 'registers' };
export const CODE: Token = { t: 'code' };
export const REPORT: Token = { t: 'report' };
export const TRACE_END: Token = { t: 'trace-end' };

export interface TokenizeFlags {
  /** The line had a kernel log prefix (timestamp, level, caller id). */
  kernel: boolean;
  /** A bpftrace stack is open: bare names and decimal offsets are frames. */
  bpf: boolean;
}

/**
 * What a line's first word says: `s` the message, `j` the index after the word, `next` the
 * character there, `rest` the message from the word on. Null: the word says nothing here.
 */
export type WordRule = (s: string, j: number, next: number, rest: string, flags: TokenizeFlags) => Token | null;
