/**
 * Frame names for flame graphs: the tidy rules and annotations of FlameGraph's
 * stackcollapse-perf.pl, exactly (compat), and with its slips fixed (default).
 *
 * Results are cached by the text of the frame line after its address (a capture repeats the
 * same frames in most of its samples), so a frame costs a slice and a map lookup.
 */
import type { Frame } from '../../model/events.js';

export type Annotate = 'kernel' | 'jit' | 'all' | undefined;

export interface NameOptions {
  annotate: Annotate;
  addrs: boolean;
  /** Default mode only: mark frames perf printed as `(inlined)` with `_[i]`. */
  inline: boolean;
}

/** One frame line, named: its pieces (`a->b` Java inlining gives several), leaf piece last. */
export interface Named {
  frames: Frame[];
  /** Compat `--srcline`: how many of the pieces read the next line (the first ones). */
  srclineReads: number;
}

// ---------------------------------------------------------------------------------------------
// stackcollapse-perf.pl, rule for rule.

const RE_SC_OFFSET = /\+0x[\da-f]+$/;
const RE_GO_METHOD = /\.\(.*\)\./;
const RE_PAREN_CUT = /\((?!anonymous namespace\))[^\n]*/;
const RE_QUOTES = /["']/g;
const RE_SC_KERNEL = /(^\[|vmlinux$)/;
const RE_SC_JIT = /\/tmp\/perf-\d+\.map/;
const RE_SC_NO_INLINE = /(perf-\d+.map|kernel\.|\[[^\]]+\])/;

/** Would stackcollapse-perf.pl --inline ask addr2line about this dso? */
export function scAsksAddr2line(mod: string): boolean {
  return !RE_SC_NO_INLINE.test(mod);
}

/** Perl's `split /\->/`: trailing empty fields are dropped. */
function perlSplitArrow(s: string): string[] {
  const parts = s.split('->');
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The frame branch of the Perl's main loop after the match: offset strip, `(` skip, `->`
 * split, `[unknown]` names, tidy, Java tidy, annotations. `undefined` = the line is skipped.
 */
export function scName(pc: string, rawfunc: string, mod: string, java: boolean, o: NameOptions, srcline: boolean): Named | undefined {
  const raw = rawfunc.replace(RE_SC_OFFSET, '');
  if (raw.charCodeAt(0) === 40) return undefined;
  const kernel = o.annotate === 'kernel' || o.annotate === 'all';
  const jit = o.annotate === 'jit' || o.annotate === 'all';
  const frames: Frame[] = [];
  let unknown = false;
  let reads = 0;
  for (const piece of perlSplitArrow(raw)) {
    let f = piece;
    if (f === '[unknown]') {
      if (mod !== '[unknown]') f = mod.replace(/[^\n]*\//, '');
      else {
        f = 'unknown';
        unknown = true;
      }
      f = o.addrs ? `[${f} <${pc}>]` : `[${f}]`;
    }
    if (f.indexOf(';') >= 0) f = f.replace(/;/g, ':');
    if (f.indexOf('(') >= 0 && !RE_GO_METHOD.test(f)) f = f.replace(RE_PAREN_CUT, '');
    if (f.indexOf('"') >= 0 || f.indexOf("'") >= 0) f = f.replace(RE_QUOTES, '');
    if (java && f.charCodeAt(0) === 76 && f.indexOf('/') >= 0) f = f.slice(1);
    if (frames.length > 0) {
      if (f.indexOf('_[i]') < 0) f += '_[i]';
    } else if (kernel && RE_SC_KERNEL.test(mod) && mod.indexOf('unknown') < 0) {
      f += '_[k]';
    } else if (jit && RE_SC_JIT.test(mod)) {
      if (f.indexOf('_[j]') < 0) f += '_[j]';
    }
    if (srcline && !unknown) reads++;
    frames.push({ name: f });
  }
  return { frames, srclineReads: reads };
}

/** The text a `--srcline` read appends (`s/\[.*?\]//g`, then whitespace trimmed), or ''. */
export function scSrclineText(line: string): string {
  return line.replace(/\[[^\n]*?\]/g, '').replace(/^[ \t\n\r\f\v]+/, '').replace(/[ \t\n\r\f\v]+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Default: the same names, without the slips.

function basename(p: string): string {
  const s = p.lastIndexOf('/');
  return s >= 0 ? p.slice(s + 1) : p;
}

/**
 * Cuts the argument list: from the first `(` outside `<>`, `{}` and `[]` (so templates and
 * `{lambda(int)#1}` stay whole), keeping `(anonymous namespace)` and Go's `.(*T).` receivers.
 */
export function cutArgs(f: string): string {
  if (f.indexOf('(') < 0) return f;
  let depth = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f.charCodeAt(i);
    if (c === 60 || c === 123 || c === 91) depth++;
    else if ((c === 62 || c === 125 || c === 93) && depth > 0) {
      // `->` and `operator>` are not closers of an open `<`.
      if (!(c === 62 && f.charCodeAt(i - 1) === 45)) depth--;
    } else if (c === 40 && depth === 0) {
      if (f.startsWith('(anonymous namespace)', i)) {
        i += 20;
        continue;
      }
      if (i > 0 && f.charCodeAt(i - 1) === 46) {
        const close = f.indexOf(')', i);
        if (close > 0 && f.charCodeAt(close + 1) === 46) {
          i = close;
          continue;
        }
      }
      if (i === 0) return f;
      return f.slice(0, i);
    }
  }
  return f;
}

function isKernelDso(dso: string): boolean {
  if (dso === '[unknown]' || dso === '') return false;
  if (dso.charCodeAt(0) === 91) return true;
  if (dso.endsWith('.ko') || dso.endsWith('.ko.xz') || dso.endsWith('.ko.zst') || dso.endsWith('.ko.gz')) return true;
  const b = basename(dso);
  return b === 'vmlinux' || /^vmlinux[-._A-Za-z0-9]*$/.test(b);
}

function isJitDso(dso: string): boolean {
  return /(^|\/)perf-\d+\.map$/.test(dso) || /(^|\/)jitted-\d+-\d+\.so$/.test(dso);
}

/** Frame names of one callchain line in the default mode. */
export function name(ip: string, sym: string, dso: string, inlined: boolean, java: boolean, o: NameOptions): Frame[] {
  const kernel = o.annotate === 'kernel' || o.annotate === 'all';
  const jit = o.annotate === 'jit' || o.annotate === 'all';
  const out: Frame[] = [];
  const pieces = sym.indexOf('->') > 0 ? sym.split('->').filter((p) => p !== '') : [sym];
  for (const piece of pieces) {
    let f = piece;
    if (f === '[unknown]' || f === '') {
      const base = dso && dso !== '[unknown]' ? basename(dso) : 'unknown';
      f = o.addrs ? `[${base} <${ip}>]` : `[${base}]`;
    } else {
      if (f.indexOf(';') >= 0) f = f.replace(/;/g, ':');
      f = cutArgs(f);
      if (f.indexOf('"') >= 0 || f.indexOf("'") >= 0) f = f.replace(RE_QUOTES, '');
      if (java && f.charCodeAt(0) === 76 && f.indexOf('/') >= 0) f = f.slice(1);
    }
    if (out.length > 0 || (inlined && o.inline)) {
      if (!f.endsWith('_[i]')) f += '_[i]';
    } else if (kernel && isKernelDso(dso)) f += '_[k]';
    else if (jit && isJitDso(dso) && !f.endsWith('_[j]')) f += '_[j]';
    out.push({ name: f });
  }
  return out;
}
