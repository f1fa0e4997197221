/**
 * Reads a whole input into memory as events (for analyses that need every event before they
 * can answer, like the active path): bytes → lines → detected input adapter → events.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Diagnostic } from '../model/diagnostics.js';
import { DiagnosticCollector } from '../model/diagnostics.js';
import type { TraceEvent } from '../model/events.js';
import { detect, inputByName, inputs, SNIFF_BYTES } from '../inputs/registry.js';
import type { InputAdapter, InputOptions } from '../inputs/types.js';
import { ConvertError } from './convert.js';
import { decompressed } from './decompress.js';
import { LineSplitter } from './lines.js';

export interface ReadEventsOptions {
  /** A path, `-` for standard input, or bytes. */
  input: string | Uint8Array;
  inputName?: string;
  /** Input format name or `auto` (default). */
  from?: string;
  inputOptions?: InputOptions;
  onDiagnostic?: (d: Diagnostic) => void;
}

export interface ReadEventsResult {
  from: string;
  events: TraceEvent[];
  lines: number;
  diagnostics: DiagnosticCollector;
}

export async function readEvents(opts: ReadEventsOptions): Promise<ReadEventsResult> {
  const name = opts.inputName ?? (typeof opts.input === 'string' ? (opts.input === '-' ? '<stdin>' : opts.input) : '<input>');
  let adapter: InputAdapter | undefined;
  if (opts.from && opts.from !== 'auto') {
    adapter = inputByName(opts.from);
    if (!adapter) throw new ConvertError(`unknown input format "${opts.from}" (known: auto, ${inputs.map((a) => a.name).join(', ')})`, 'usage');
  }
  let src: Readable;
  if (typeof opts.input === 'string') {
    if (opts.input === '-') src = process.stdin;
    else {
      try {
        if ((await fs.promises.stat(opts.input)).isDirectory()) throw new ConvertError(`${opts.input} is a directory`, 'io');
      } catch (e) {
        if (e instanceof ConvertError) throw e;
        throw new ConvertError(`cannot read ${opts.input}: ${(e as Error).message}`, 'io');
      }
      src = fs.createReadStream(opts.input);
    }
  } else src = Readable.from([opts.input]);

  const diags = new DiagnosticCollector(name, opts.onDiagnostic);
  const splitter = new LineSplitter(diags.report);
  const batches: { lines: string[]; first: number }[] = [];
  for await (const chunk of decompressed(src)) {
    const first = splitter.next;
    const lines = splitter.push(chunk as Uint8Array);
    if (lines.length) batches.push({ lines, first });
  }
  const first = splitter.next;
  const tail = splitter.end();
  if (tail.length) batches.push({ lines: tail, first });

  if (!adapter) {
    const head = batches
      .flatMap((b) => b.lines)
      .slice(0, 4096)
      .join('\n')
      .slice(0, SNIFF_BYTES);
    const r = detect(head);
    if (!r.adapter) throw new ConvertError(`cannot tell the input format of ${name} (tried ${r.tried.join('; ')}); use --from`, 'unknown-format');
    adapter = r.adapter;
  }
  const parser = adapter.createParser({ file: name, report: diags.report, options: opts.inputOptions ?? {} });
  const events: TraceEvent[] = [];
  for (const b of batches) for (const e of parser.push(b.lines, b.first)) events.push(e);
  for (const e of parser.end()) events.push(e);
  return { from: adapter.name, events, lines: splitter.next - 1, diagnostics: diags };
}
