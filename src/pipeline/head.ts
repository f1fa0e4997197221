/**
 * The head of an input: its first decoded lines, up to the SNIFF_BYTES the sniffers see. One
 * reader for every caller that detects a format (`convert`, batch, the `detect` command), so
 * they all decide on the same text: whole lines as the line splitter gives them, each counting
 * its length and its newline, joined by `\n` and cut at SNIFF_BYTES.
 */
import { SNIFF_BYTES } from '../inputs/registry.js';
import { LineSplitter } from './lines.js';

/** Collects lines until the head is whole; `push` says when it is. */
export class HeadLines {
  private readonly lines: string[] = [];
  /** Characters seen, each line counting its newline. */
  size = 0;

  /** Adds lines; true once the head is whole (later lines are not needed for it). */
  push(lines: readonly string[]): boolean {
    for (const l of lines) {
      if (this.full) break;
      this.lines.push(l);
      this.size += l.length + 1;
    }
    return this.full;
  }

  /**
   * The joined lines reach SNIFF_BYTES characters: the head no longer depends on the lines
   * after them (nor on how the input was cut into chunks).
   */
  get full(): boolean {
    return this.size > SNIFF_BYTES;
  }

  /** The text the sniffers see. */
  text(): string {
    return this.lines.join('\n').slice(0, SNIFF_BYTES);
  }
}

export interface Head {
  /** The raw chunks read (to be replayed into the converter). */
  chunks: Uint8Array[];
  text: string;
  /** A NUL byte in the first 8 KiB, or a line the splitter found binary. */
  binary: boolean;
  /** The input ended within the head. */
  ended: boolean;
  /** The first 8 KiB of bytes, for magic numbers. */
  prefix: Buffer;
}

/**
 * Reads (decompressed) chunks until the head is whole or the input ends; stops early on a long
 * run of bytes without a newline, which is no text trace.
 */
export async function readHead(it: AsyncIterator<Uint8Array>): Promise<Head> {
  const chunks: Uint8Array[] = [];
  let binary = false;
  const splitter = new LineSplitter((code) => {
    if (code === 'input.binary') binary = true;
  });
  const head = new HeadLines();
  let ended = false;
  let raw = 0;
  while (!head.full) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      head.push(splitter.end());
      break;
    }
    chunks.push(r.value);
    raw += r.value.length;
    head.push(splitter.push(r.value));
    if (raw > 4 * SNIFF_BYTES && head.size === 0) break;
  }
  const prefix = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))).subarray(0, 8192);
  if (prefix.includes(0)) binary = true;
  return { chunks, text: head.text(), binary, ended, prefix };
}
