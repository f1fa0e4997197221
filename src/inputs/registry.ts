import { dmesg } from './dmesg/index.js';
import { ftraceEvents } from './ftrace-events/index.js';
import { functionGraph } from './function-graph/index.js';
import { lttngText } from './lttng-text/index.js';
import type { InputAdapter, SniffVerdict } from './types.js';
import { perfScript } from './perf-script/index.js';

/** Every input format, in sniffing order (strict formats first). */
export const inputs: readonly InputAdapter[] = [functionGraph, dmesg, lttngText, perfScript, ftraceEvents].sort((a, b) => a.priority - b.priority);

export function inputByName(name: string): InputAdapter | undefined {
  return inputs.find((a) => a.name === name);
}

/** Bytes of decoded text the sniffers see. */
export const SNIFF_BYTES = 64 * 1024;

/** An adapter's verdict on a head: its own `sniffVerdict`, or one mapped from `sniff`. */
export function explainSniff(a: InputAdapter, head: string): SniffVerdict {
  if (a.sniffVerdict) return a.sniffVerdict(head);
  const answer = a.sniff(head);
  const level = answer === 'yes' ? 2 : answer === 'maybe' ? 1 : 0;
  return { answer, level, reason: `sniff answered ${answer} (this format gives no reason)`, lines: [] };
}

/** Shares of lines closer than this do not tell two equally sure claims apart. */
const SHARE_MARGIN = 0.25;

export interface Detection {
  adapter?: InputAdapter;
  /** `name: answer` per adapter, in registry order (for messages). */
  tried: string[];
  verdicts: { name: string; verdict: SniffVerdict }[];
  /** Why the adapter was chosen, or why none was. */
  reason: string;
  /** Adapters that claimed the head equally surely (then none is chosen). */
  ambiguous?: string[];
}

/**
 * Picks the adapter whose verdict is surest (highest level). Equal levels are told apart only by
 * evidence, the share of lines each grammar reads, when one is clearly larger; otherwise the
 * input is ambiguous and no adapter is chosen: registry order never settles a tie.
 */
export function detect(head: string): Detection {
  const verdicts = inputs.map((a) => ({ name: a.name, adapter: a, verdict: explainSniff(a, head) }));
  const tried = verdicts.map((v) => `${v.name}: ${v.verdict.answer}`);
  const out = (d: Omit<Detection, 'tried' | 'verdicts'>): Detection => ({
    ...d,
    tried,
    verdicts: verdicts.map((v) => ({ name: v.name, verdict: v.verdict })),
  });
  const best = Math.max(...verdicts.map((v) => v.verdict.level));
  if (best === 0) return out({ reason: 'no input format recognised it' });
  const top = verdicts.filter((v) => v.verdict.level === best);
  if (top.length === 1) return out({ adapter: top[0]!.adapter, reason: `${top[0]!.name}: ${top[0]!.verdict.reason}` });
  const byShare = [...top].sort((x, y) => (y.verdict.share ?? -1) - (x.verdict.share ?? -1));
  const a = byShare[0]!;
  const b = byShare[1]!;
  if (a.verdict.share !== undefined && b.verdict.share !== undefined && a.verdict.share - b.verdict.share >= SHARE_MARGIN) {
    return out({
      adapter: a.adapter,
      reason: `${a.name}: ${a.verdict.reason} (reads ${pct(a.verdict.share)} of the lines, ${b.name} ${pct(b.verdict.share)})`,
    });
  }
  const names = top.map((v) => v.name);
  return out({ ambiguous: names, reason: `${names.join(' and ')} claim it equally surely (${top.map((v) => `${v.name}: ${v.verdict.reason}`).join('; ')})` });
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
