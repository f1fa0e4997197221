/**
 * Kernel log records that are not console lines: what `/dev/kmsg` gives (`PRI,SEQ,USEC,FLAGS;msg`
 * with ` KEY=value` continuation lines), `dmesg -J` (util-linux's JSON, one field per line),
 * `journalctl -o json` (one object per line) and `journalctl -o export` (`KEY=value` blocks), and
 * the time prefixes of `dmesg --reltime` (`[  +0.000640]`, `[Dec  2 00:57]`). Each record line
 * becomes its message (with its boot time when the record has one); the record's other lines
 * become `skip` (not a line of the log at all, so they neither end a trace nor interleave one).
 */
import type { LinePrefix } from './line-prefix.js';

const RE_KMSG = /^(\d{1,3}),(\d+),(\d+),[^;,]*((?:,[^;]*)?);/;
const RE_KMSG_CONT = /^ [A-Z_][A-Z0-9_]*=/;
const RE_RELTIME = /^\[\s*[+-]\d+\.\d{6}\] ?/;
const RE_RELTIME_DATE = /^\[[A-Z][a-z]{2} [ \d]\d \d\d:\d\d\] ?/;
const RE_JSON_MSG = /^\s*"msg":\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/;
const RE_JSON_TIME = /^\s*"time":\s*(\d+)\.(\d{6})\s*,?\s*$/;
const RE_EXPORT_FIELD = /^(?:__)?[A-Z_][A-Z0-9_]*=/;
const RE_EXPORT_START = /^__(?:CURSOR|REALTIME_TIMESTAMP|MONOTONIC_TIMESTAMP)=/;

function message(p: LinePrefix, text: string, bootNs: number): true {
  p.text = text;
  p.bootNs = bootNs;
  p.kernel = true;
  return true;
}

function skip(p: LinePrefix): true {
  p.text = '';
  p.skip = true;
  return true;
}

/** Reads `s` as a record line; returns false when it is an ordinary console line. */
export function readRecord(s: string, p: LinePrefix): boolean {
  const r = p.records;
  const c0 = s.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    const m = RE_KMSG.exec(s);
    if (m) {
      r.kmsg = true;
      const cm = /caller=([TC]\d+)/.exec(m[4]!);
      if (cm) p.caller = cm[1]!;
      return message(p, s.slice(m[0].length), Number(m[3]) * 1000);
    }
  }
  if (c0 === 32 && r.kmsg && RE_KMSG_CONT.test(s)) return skip(p);
  if (c0 === 91 /* [ */) {
    const m = RE_RELTIME.exec(s) ?? RE_RELTIME_DATE.exec(s);
    if (m) return message(p, s.slice(m[0].length), -1);
  }
  if (c0 === 123 /* { */ && s.startsWith('{"') && s.indexOf('"MESSAGE":') > 0) return journalJson(s, p);
  if (r.json || (c0 === 32 && s.trimStart().startsWith('"dmesg":'))) return dmesgJson(s, p);
  if (c0 === 123 || c0 === 125) {
    const t = s.trim();
    if (t === '{' && !r.json) return false;
  }
  if (r.exported || RE_EXPORT_START.test(s)) return exported(s, p);
  return false;
}

function dmesgJson(s: string, p: LinePrefix): boolean {
  const r = p.records;
  const t = s.trim();
  if (t.startsWith('"dmesg":')) {
    r.json = true;
    return skip(p);
  }
  const tm = RE_JSON_TIME.exec(s);
  if (tm) {
    r.pendingNs = Number(tm[1]) * 1e9 + Number(tm[2]) * 1000;
    return skip(p);
  }
  const mm = RE_JSON_MSG.exec(s);
  if (mm) {
    let text: string;
    try {
      text = JSON.parse(mm[1]!) as string;
    } catch {
      return false;
    }
    const ns = r.pendingNs;
    r.pendingNs = -1;
    return message(p, text, ns);
  }
  if (t === '' ) return false;
  // Structure and the other fields (`{`, `},{`, `"pri": 4,`, `"caller": "T1"`, `]`).
  const cl = /^"caller":\s*"([TC]\d+)"/.exec(t);
  if (cl) p.caller = cl[1]!;
  return skip(p);
}

function journalJson(s: string, p: LinePrefix): boolean {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(s) as Record<string, unknown>;
  } catch {
    return false;
  }
  const msg = o.MESSAGE;
  if (typeof msg !== 'string') return skip(p);
  const mono = typeof o._SOURCE_MONOTONIC_TIMESTAMP === 'string' ? Number(o._SOURCE_MONOTONIC_TIMESTAMP) * 1000 : -1;
  message(p, msg, Number.isFinite(mono) ? mono : -1);
  if (o._TRANSPORT !== 'kernel' && o.SYSLOG_IDENTIFIER !== 'kernel') p.foreign = true;
  return true;
}

function exported(s: string, p: LinePrefix): boolean {
  const r = p.records;
  if (s === '') return skip(p);
  if (!RE_EXPORT_FIELD.test(s)) {
    r.exported = false;
    return false;
  }
  r.exported = true;
  if (s.startsWith('MESSAGE=')) {
    const ns = r.pendingNs;
    r.pendingNs = -1;
    return message(p, s.slice(8), ns);
  }
  if (s.startsWith('_SOURCE_MONOTONIC_TIMESTAMP=')) {
    const v = Number(s.slice(28));
    if (Number.isFinite(v)) r.pendingNs = v * 1000;
  }
  return skip(p);
}
