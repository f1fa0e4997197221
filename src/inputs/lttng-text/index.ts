/**
 * LTTng (and other CTF) traces as text: what `babeltrace2` and `babeltrace` (1.x) print, with
 * their timestamp, field-name and field-selection options. See `tokenize.ts` for the layouts,
 * `value-reader.ts` for the field syntax, `meaning.ts` and `dispatch.ts` for what the events
 * mean, and `interpret.ts` for how the parts fit.
 */
import type { InputAdapter, SniffAnswer, SniffVerdict } from '../types.js';
import { codes } from './codes.js';
import { LttngTextParser } from './interpret.js';
import { RE_SNIFF_LINE } from './tokenize.js';

/**
 * babeltrace lines have a shape nothing else prints: a 9-digit fraction (or 20-digit cycles) in
 * the brackets, then `name: { ... }`. One such line among prose is a `maybe`; most lines
 * matching (at least two) is a `yes`.
 */
/**
 * Every `sink.text.pretty` field option off, the timestamp too (`field-default=hide`, babeltrace 1
 * `-f none`): `[HOST ]EVENT: { field = value }, { ... }`. Only the field syntax is left, so a line
 * counts only with a ` = ` inside its braces, or as scopes of plain values (names off too).
 */
/** No field names either: `EVENT: { 0 }, { "bash", 1507 }` (scopes of values only, no nesting). */
const RE_SNIFF_UNNAMED = /^[A-Za-z_][\w:.$-]*: \{ [^{}=]* \}(?:, \{ [^{}=]* \})*$/;
const RE_SNIFF_UNTIMED = /^(?:[^\s{}=:[][^\s{}=:]* ){0,2}[A-Za-z_][\w:.$-]*: \{ .* \}$/;

function sniff(head: string): SniffAnswer {
  return sniffVerdict(head).answer;
}

function sniffVerdict(head: string): SniffVerdict {
  let hits = 0;
  let seen = 0;
  let no = 0;
  const lines: number[] = [];
  for (const raw of head.split('\n', 2000)) {
    no++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.trim() === '') continue;
    seen++;
    if (RE_SNIFF_LINE.test(s) || (RE_SNIFF_UNTIMED.test(s) && (s.includes(' = ') || RE_SNIFF_UNNAMED.test(s)))) {
      hits++;
      if (lines.length < 5) lines.push(no);
    }
    if (seen >= 200) break;
  }
  const share = seen === 0 ? 0 : hits / seen;
  const why = `${hits} of ${seen} lines are babeltrace event lines`;
  if ((hits >= 2 && hits * 2 >= seen) || (hits === 1 && seen === 1)) return { answer: 'yes', level: 2, reason: why, lines, share };
  return hits > 0 ? { answer: 'maybe', level: 1, reason: why, lines, share } : { answer: 'no', level: 0, reason: why, lines, share };
}

export const lttngText: InputAdapter = {
  name: 'lttng-text',
  description: 'LTTng and other CTF traces as babeltrace2 / babeltrace 1 print them (all timestamp, name and field options)',
  priority: 10,
  codes,
  sniff,
  sniffVerdict,
  createParser: (ctx) => new LttngTextParser(ctx),
};

export { LttngTextParser } from './interpret.js';
export { tokenize } from './tokenize.js';
