/**
 * The input formats. Each adapter owns its parts: its diagnostic codes (`<name>/codes.ts`), its
 * command-line options (`options`, offered by `convert` and `batch`), its sniffer with the
 * confidence of each answer (`sniffVerdict`). This file lists them and merges what they declare;
 * adding a format is its folder, one line in the list below and its `samples/<name>/` folder.
 *
 * Sniff order. Detection (`detect` below) asks every adapter and takes the surest verdict, so the
 * order never picks a format: confidence does. A strict format's yes needs what no other format
 * prints, so it is sure where the permissive ones are only partly so: perf-script's yes needs
 * `comm pid time: event:` sample headers with indented `ip sym (dso)` lines, which no kernel log
 * has, although both print `sym+0x…` frames; dmesg's yes needs printk prefixes on most lines or
 * call-trace frames, which function_graph text never has, while function-graph gives a kernel
 * log embedding an ftrace dump (sysrq-z, ftrace_dump_on_oops) only a `possible`, its function_graph
 * lines being a share of the log; ftrace-events says no to any sign of function_graph. The order,
 * by `priority` (lttng-text 10, perf-script 12, dmesg 15, function-graph 20, ftrace-events 25:
 * strict formats first), is the order in which verdicts are reported and formats listed, and an
 * empty input (nothing to recognise) is read by the first.
 */
import { defineCodes, CODES, type CodeTable } from '../model/diagnostics.js';
import { dmesg } from './dmesg/index.js';
import { ftraceEvents } from './ftrace-events/index.js';
import { functionGraph } from './function-graph/index.js';
import { lttngText } from './lttng-text/index.js';
import { perfScript } from './perf-script/index.js';
import { stackOptionSpecs } from './stack-options.js';
import type { InputAdapter, InputOptions, InputOptionSpec, SniffVerdict } from './types.js';

const registered: InputAdapter[] = [];

/** Every input format, in `priority` order (see above). */
export const inputs: readonly InputAdapter[] = registered;

/** Every diagnostic code: the shared ones and each adapter's, code → [severity, meaning]. */
export const diagnosticCodes: CodeTable = { ...CODES };

/** Adds an input format: its codes join the catalogue, its options the commands' options. */
export function registerInput(a: InputAdapter): void {
  if (!/^[a-z][a-z0-9-]*$/.test(a.name) || a.name === 'auto') throw new Error(`an input format cannot be named "${a.name}"`);
  if (registered.some((x) => x.name === a.name)) throw new Error(`the input format ${a.name} is registered twice`);
  const taken = new Set(inputOptionSpecs().map((o) => o.name));
  for (const o of a.options ?? []) if (taken.has(o.name)) throw new Error(`--${o.name} of ${a.name} is already an option of another input`);
  defineCodes(a.name, a.codes);
  Object.assign(diagnosticCodes, a.codes);
  registered.push(a);
  registered.sort((x, y) => x.priority - y.priority);
}

for (const a of [lttngText, perfScript, dmesg, functionGraph, ftraceEvents]) registerInput(a);

export function inputByName(name: string): InputAdapter | undefined {
  return inputs.find((a) => a.name === name);
}

/** The options of every input, the shared stack options first; each name once. */
export function inputOptionSpecs(): InputOptionSpec[] {
  return [...stackOptionSpecs, ...inputs.flatMap((a) => a.options ?? [])];
}

/** `with-pid` → `withPid`: an option's key in `InputOptions`. */
export function optionKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Parsed command-line values (by option name) → `InputOptions`: the values given or defaulted. */
export function inputOptionsOf(values: Readonly<Record<string, unknown>>): InputOptions {
  const o: Record<string, unknown> = {};
  for (const spec of inputOptionSpecs()) {
    const v = values[spec.name];
    if (v !== undefined) o[optionKey(spec.name)] = v;
  }
  return o as InputOptions;
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
