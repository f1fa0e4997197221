import { StringDecoder } from 'node:string_decoder';
import type { Report } from '../model/diagnostics.js';

/** Longest line kept; the rest of a longer line is skipped (and reported), memory stays bounded. */
export const MAX_LINE = 1 << 20;

/**
 * Splits bytes into numbered lines: UTF-8 decoded across chunk boundaries, `\n` or `\r\n`
 * terminated, invalid bytes replaced (and reported), over-long lines cut, lines holding NUL
 * bytes (binary garbage) reported and replaced by empty lines so numbering stays true.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** Skipping the rest of an over-long line until its newline. */
  private skipping = false;
  /** Number of the next line to be returned. */
  next = 1;
  bytes = 0;

  constructor(private readonly report: Report) {}

  /** Returns complete lines; `firstLine` of the batch is `this.next` before the call. */
  push(chunk: Uint8Array): string[] {
    this.bytes += chunk.length;
    return this.split(this.decoder.write(chunk as Buffer), false);
  }

  end(): string[] {
    return this.split(this.decoder.end(), true);
  }

  private split(text: string, final: boolean): string[] {
    const out: string[] = [];
    let pos = 0;
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) return final ? this.finish(out) : out;
      this.skipping = false;
      pos = nl + 1;
    }
    let data = this.partial;
    this.partial = '';
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      let line = data ? data + text.slice(pos, nl) : text.slice(pos, nl);
      data = '';
      pos = nl + 1;
      if (line.length > MAX_LINE) {
        this.report('input.long-line', this.next, `line of ${line.length} characters cut to ${MAX_LINE}`);
        line = line.slice(0, MAX_LINE);
      }
      out.push(this.check(line));
    }
    const rest = data + text.slice(pos);
    if (rest.length > MAX_LINE) {
      // Keep the head of the line, drop the rest until its newline.
      this.report('input.long-line', this.next, `line longer than ${MAX_LINE} characters cut`);
      out.push(this.check(rest.slice(0, MAX_LINE)));
      this.skipping = true;
    } else this.partial = rest;
    return final ? this.finish(out) : out;
  }

  private finish(out: string[]): string[] {
    if (this.partial) {
      out.push(this.check(this.partial));
      this.partial = '';
    }
    this.skipping = false;
    return out;
  }

  private check(line: string): string {
    const n = this.next++;
    if (line.length && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.indexOf('\ufffd') !== -1) this.report('input.invalid-utf8', n);
    if (line.indexOf('\u0000') !== -1) {
      this.report('input.binary', n);
      return '';
    }
    return line;
  }
}
