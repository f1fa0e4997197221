/**
 * `perf-script`: the text of `perf script` (samples of `perf record`, with or without `-g`,
 * any `-F` field choice, tracepoints, several events). See `tokenize.ts` for the grammar,
 * `records.ts` for the default reading, `compat.ts` for `--compat stackcollapse`.
 */
import type { InputAdapter, InputOptions, InputParser, ParseContext, SniffAnswer } from '../types.js';
import { codes } from './codes.js';
import { options } from './options.js';
import { CompatRecords } from './compat.js';
import { PerfRecords, SampleSink, type PerfOptions } from './records.js';
import { frame, header, isSpace } from './tokenize.js';
import { BlockCache } from './block-cache.js';
import type { Report } from '../../model/diagnostics.js';

export function perfOptions(o: InputOptions): PerfOptions {
  return {
    withPid: o.withPid === true,
    withTid: o.withTid === true,
    annotate: o.annotate,
    addrs: o.addrs === true,
    inline: o.inline === true,
    srcline: o.srcline === true,
    ...(o.eventFilter ? { eventFilter: o.eventFilter } : {}),
  };
}

/** An indented `ip sym [(dso)]` line (with `withDso`, the `(dso)` is required). */
function isCallchainLine(l: string, withDso: boolean): boolean {
  if (l.length === 0 || !isSpace(l.charCodeAt(0))) return false;
  const f = frame(l);
  return f !== undefined && (!withDso || f.dso !== '' || f.inlined);
}

/**
 * `yes` when sample headers (comm, pid, time or cpu, `event:`; without the event only before a
 * callchain) are followed by callchain lines
 * (indented hex address and symbol), or three headers carry `ip sym (dso)` themselves (no
 * `-g`), or perf's own `--header` comments are there; `maybe` on three headers alone. A kernel
 * log has none of these: its lines are not `comm pid time: event:` headers, and its frames
 * (`func+0x1a/0x40`) have no address before them.
 */
export function sniffPerfScript(head: string): SniffAnswer {
  const lines = head.split('\n', 4000);
  if (lines.length > 1 && !head.endsWith('\n')) lines.pop();
  let records = 0;
  let single = 0;
  let headers = 0;
  let other = 0;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!.replace(/\r$/, '');
    if (l.startsWith('# perf version :') || (l.startsWith('# cmdline :') && l.indexOf('perf') > 0)) return 'yes';
    if (l.trim() === '' || l.startsWith('#')) continue;
    const indented = isSpace(l.charCodeAt(0));
    if (indented && isCallchainLine(l, false)) continue;
    const h = header(l);
    const next = (lines[k + 1] ?? '').replace(/\r$/, '');
    // Without an event name (`-F comm,tid,time,ip,sym`), only when a callchain follows.
    if (!h || (!h.event && !isCallchainLine(next, false)) || (h.time === undefined && h.cpu === undefined && !isCallchainLine(next, true))) {
      // Source lines (`  file.c:12`) and the like inside records are not evidence either way.
      if (!indented) other++;
      continue;
    }
    headers++;
    const f = h.rest ? frame(h.rest) : undefined;
    if (f && f.dso) single++;
    else if (isCallchainLine(next, false)) records++;
    if (records >= 2 || single >= 3) return 'yes';
  }
  if (records >= 1 && other === 0) return 'yes';
  if (headers >= 3 && headers >= other) return 'maybe';
  return 'no';
}

function createParser(ctx: ParseContext): InputParser {
  const o = perfOptions(ctx.options);
  const compat = ctx.options.compat === 'stackcollapse';
  let reported = 0;
  const report: Report = (code, line, message, severity) => {
    reported++;
    ctx.report(code, line, message, severity);
  };
  const sink = new SampleSink(compat ? 'stackcollapse-compat' : 'perf script', report);
  const rec = compat ? new CompatRecords(sink, o, report) : new PerfRecords(sink, o, report);
  const blocks = new BlockCache(() => reported);
  const take = () => {
    const evs = sink.out.splice(0);
    return evs;
  };
  return {
    push(lines, first) {
      sink.start();
      for (let i = 0; i < lines.length; i++) rec.line(lines[i]!, first + i);
      return take();
    },
    pushBytes(lines) {
      sink.start();
      if (lines.texts) {
        for (let i = 0; i < lines.count; i++) rec.line(lines.texts[i]!, lines.first + i);
      } else {
        const buf = Buffer.isBuffer(lines.buf) ? lines.buf : Buffer.from(lines.buf.buffer, lines.buf.byteOffset, lines.buf.byteLength);
        const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        const { starts, ends, first } = lines;
        const count = lines.count;
        for (let i = 0; i < count; ) {
          const s = starts[i]!;
          const e = ends[i]!;
          if (e > s && (buf[s] === 9 || buf[s] === 32)) {
            const n = blocks.read(rec, buf, view, starts, ends, i, count, first);
            if (n > 0) {
              i += n;
              continue;
            }
          }
          rec.lineBytes(buf, view, s, e, first + i);
          i++;
        }
      }
      return take();
    },
    end() {
      sink.start();
      rec.end();
      return take();
    },
  };
}

export const perfScript: InputAdapter = {
  name: 'perf-script',
  description: 'perf script text (perf record samples with callchains, any -F fields, tracepoints); folded like stackcollapse-perf.pl',
  priority: 12,
  codes,
  options,
  sniff: sniffPerfScript,
  createParser,
};
