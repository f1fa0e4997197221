/**
 * What the prefix of a kernel log line said, and the record layout state it carries across
 * lines: the shapes `prefix.ts` fills and `records.ts` (`/dev/kmsg`, JSON, export records) reads.
 */

/** Which record layout the input turned out to be (kept across lines in the reused prefix). */
export interface RecordState {
  kmsg: boolean;
  /** Inside `dmesg -J` output. */
  json: boolean;
  /** Inside `journalctl -o export` output. */
  exported: boolean;
  /** A `"time"` / `_SOURCE_MONOTONIC_TIMESTAMP` seen before its message, in ns, or -1. */
  pendingNs: number;
  /** `dmesg --time-format=delta` (`[<    0.000062>]`): the deltas so far, summed, in ns. */
  deltaNs: number;
}

export const newRecordState = (): RecordState => ({ kmsg: false, json: false, exported: false, pendingNs: -1, deltaNs: 0 });

/** What the prefix of one line said. One object is reused for every line. */
export interface LinePrefix {
  /** The message, after every prefix (leading spaces of the message kept). */
  text: string;
  /** Nanoseconds since boot from `[ssss.uuuuuu]`, or -1. */
  bootNs: number;
  /** 1: ISO date (seconds since the epoch), 2: time of day only (syslog, `dmesg -T`), 0: none. */
  wallKind: 0 | 1 | 2;
  /** Whole seconds of the wall-clock stamp (epoch seconds or seconds since midnight). */
  wallSec: number;
  /** Nanoseconds below the second of the wall-clock stamp. */
  wallFracNs: number;
  /** `T1234` / `C1` caller id, or ''. */
  caller: string;
  /** The line had a kernel log prefix (printk time, level, caller id, or `kernel:` in syslog). */
  kernel: boolean;
  /** A syslog/journal line from a program other than the kernel. */
  foreign: boolean;
  /** A line number was removed. */
  numbered: boolean;
  /** Not a line of the log: another line of a record (`/dev/kmsg` ` KEY=value`, JSON structure). */
  skip: boolean;
  /** Which record layout (kmsg, JSON, export) the input is, across lines. */
  records: RecordState;
}

export function newPrefix(): LinePrefix {
  return {
    text: '',
    bootNs: -1,
    wallKind: 0,
    wallSec: 0,
    wallFracNs: 0,
    caller: '',
    kernel: false,
    foreign: false,
    numbered: false,
    skip: false,
    records: newRecordState(),
  };
}
