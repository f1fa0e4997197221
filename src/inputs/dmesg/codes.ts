/**
 * The diagnostic codes of the `dmesg` input (kernel call traces): code → [default
 * severity, what it means]. The registry merges them with the codes every input shares
 * (`src/model/diagnostics.ts`).
 */
import { defineCodes } from '../../model/diagnostics.js';

export const codes = defineCodes('dmesg', {
  'dmesg.prose': ['info', 'text outside any call trace (other kernel messages, report text, prose): not part of a stack'],
  'dmesg.registers': ['info', 'a register dump line (or a user-space RIP): skipped'],
  'dmesg.code': ['info', 'instruction bytes (`Code:`), raw stack words or a memory dump: skipped'],
  'dmesg.bad-frame': ['warning', 'a line inside a call trace that looks like a frame but could not be read'],
  'dmesg.interleaved': [
    'warning',
    'a line inside a call trace that is not part of it (output of another CPU or task); the trace went on after it',
  ],
  'dmesg.truncated': [
    'warning',
    'a call trace that was cut off (a <TASK>/<IRQ> section never closed, or a faulting location with no trace): what was read is kept',
  ],
  'dmesg.empty-trace': ['warning', 'a call trace header with no frames after it'],
  'dmesg.frames-capped': ['warning', 'a call trace longer than 512 frames: the frames after the 512th were dropped'],
  'dmesg.only-unreliable': ['info', 'every frame of a stack was marked `?` (unreliable): all were kept'],
  'dmesg.total-mismatch': ['warning', "a stack histogram's stated total differs from the sum of its counts"],
  'dmesg.joined-line': ['info', 'a `[module]` wrapped onto a line of its own was joined back to its frame'],
} as const);

declare module '../../model/diagnostics.js' {
  interface AdapterCodeTables {
    'dmesg': typeof codes;
  }
}
