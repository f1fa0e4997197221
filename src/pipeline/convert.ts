import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import chain from 'stream-chain';
import gen from 'stream-chain/gen.js';
import type { Diagnostic, Severity } from '../model/diagnostics.js';
import { DiagnosticCollector } from '../model/diagnostics.js';
import { EventFilter, FilterError, describeFilters, isEmptySpec, type FilterSpec } from '../model/filter.js';
import type { TraceEvent } from '../model/events.js';
import { detect, inputByName, inputs } from '../inputs/registry.js';
import type { InputAdapter, InputOptions, InputParser } from '../inputs/types.js';
import { outputByName, outputForPath, outputs } from '../outputs/registry.js';
import type { FlameOptions, FoldedWeight, OutputAdapter, OutputWriter } from '../outputs/types.js';
import { atomicWriteStream, TEMP_MARK } from './atomic.js';
import { EventGuard } from './guard.js';
import { decompressed } from './decompress.js';
import { HeadLines } from './head.js';
import { FileChunks } from './read-file.js';
import { batchTexts, LineSplitter, type ByteLines } from './lines.js';
import { VERSION } from '../version.js';

/** A failure of the whole conversion (not of a line): unknown format, unreadable input. */
export class ConvertError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'unknown-format' | 'io',
  ) {
    super(message);
    this.name = 'ConvertError';
  }
}

export type InputSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface ConvertOptions {
  /** A path, `-` for standard input, bytes, or a stream of bytes (gzip is recognised). */
  input: InputSource;
  /** Name used in diagnostics and metadata (defaults to the path, or `<stdin>`). */
  inputName?: string;
  /** Input format name or `auto` (default). */
  from?: string;
  /** `from` is what the caller detected on this input (as batch does), not what the user named. */
  fromDetected?: boolean;
  /** Output format name; defaults to the one `output`'s extension names. */
  to?: string;
  /** A path (written atomically), `-` for standard output, a Writable, or absent to get bytes back. */
  output?: string | Writable;
  weight?: FoldedWeight;
  pretty?: boolean;
  inputOptions?: InputOptions;
  /** Every diagnostic, as it happens. */
  onDiagnostic?: (d: Diagnostic) => void;
  /** Read size in bytes (tests vary it to prove chunking does not change the output). */
  chunkSize?: number;
  /** Aborts the conversion (the temporary file is removed; the promise rejects with an AbortError). */
  signal?: AbortSignal;
  /** Bytes of the input read so far (before decompression), as reading goes. */
  onProgress?: (bytesRead: number) => void;
  /** svg/html output: flame graph drawing options. */
  flame?: FlameOptions;
  /** Keeps only some events (tasks, CPUs, functions, depth, time), for every input and output. */
  filters?: FilterSpec;
}

export interface ConvertResult {
  from: string;
  to: string;
  lines: number;
  bytesIn: number;
  bytesOut: number;
  /** Events that carry trace content (not the info, track and process declarations). */
  events: number;
  /** Count per diagnostic code. */
  diagnostics: Record<string, number>;
  severities: Record<Severity, number>;
  /** The output bytes when no `output` was given. */
  output?: Uint8Array;
}

/** An I/O error in words, without the (temporary) path the system message carries. */
function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOENT: 'its folder does not exist',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of its path is not a folder',
    EIO: 'input/output error',
  };
  return err.code ? `${words[err.code] ?? err.code} (${err.code})` : err.message;
}

/** One read's lines: bytes, with their text made only for a parser that reads text. */
type LineBatch = ByteLines;

function resolveOutput(opts: ConvertOptions): OutputAdapter {
  if (opts.to) {
    const o = outputByName(opts.to);
    if (!o) throw new ConvertError(`unknown output format "${opts.to}" (known: ${outputs.map((x) => x.name).join(', ')})`, 'usage');
    return o;
  }
  if (typeof opts.output === 'string' && opts.output !== '-') {
    const o = outputForPath(opts.output);
    if (o) return o;
    throw new ConvertError(
      `cannot tell the output format from "${opts.output}": use --to (${outputs.map((x) => `${x.name}: ${x.extensions.join(' ')}`).join('; ')})`,
      'usage',
    );
  }
  throw new ConvertError('no output format: give --to or an output file name with a known extension', 'usage');
}

/** Input bytes between turns of the event loop (timers and I/O get their turn). */
const TURN_BYTES = 8 << 20;
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Bytes per read of an input file, and per piece the lines of a read are parsed in. */
const READ_SIZE = 1 << 18;
const PIECE = 1 << 16;

function sourceStream(input: InputSource, chunkSize: number | undefined): Readable | FileChunks {
  if (typeof input === 'string') {
    if (input === '-') return process.stdin;
    return new FileChunks(input, chunkSize ?? READ_SIZE);
  }
  if (input instanceof Uint8Array) {
    const size = chunkSize ?? 64 * 1024;
    return Readable.from(
      (function* () {
        for (let o = 0; o < input.length; o += size) yield input.subarray(o, o + size);
      })(),
      { objectMode: false },
    );
  }
  if (input instanceof Readable) return input;
  return Readable.from(input, { objectMode: false });
}

/**
 * Converts one input to one output: bytes → lines → input adapter → events → output writer →
 * bytes. Memory stays bounded whatever the input size (folded output grows with the number of
 * distinct stacks only).
 */
export async function convert(opts: ConvertOptions): Promise<ConvertResult> {
  const out = resolveOutput(opts);
  const name = opts.inputName ?? (typeof opts.input === 'string' ? (opts.input === '-' ? '<stdin>' : opts.input) : '<input>');
  let named: InputAdapter | undefined;
  if (opts.from && opts.from !== 'auto') {
    named = inputByName(opts.from);
    if (!named) throw new ConvertError(`unknown input format "${opts.from}" (known: auto, ${inputs.map((a) => a.name).join(', ')})`, 'usage');
  }
  if (typeof opts.input === 'string' && opts.input !== '-') {
    try {
      const st = await fs.promises.stat(opts.input);
      if (st.isDirectory()) throw new ConvertError(`${opts.input} is a directory (use \`tracebridge batch\`)`, 'io');
    } catch (e) {
      if (e instanceof ConvertError) throw e;
      throw new ConvertError(`cannot read ${opts.input}: ${(e as Error).message}`, 'io');
    }
  }

  let filter: EventFilter | undefined;
  try {
    if (!isEmptySpec(opts.filters)) filter = new EventFilter(opts.filters!);
  } catch (e) {
    if (e instanceof FilterError) throw new ConvertError(e.message, 'usage');
    throw e;
  }

  const diags = new DiagnosticCollector(name, opts.onDiagnostic);
  const splitter = new LineSplitter(diags.report);
  let adapter: InputAdapter | undefined = named;
  let parser: InputParser | undefined;
  let writer: OutputWriter | undefined;
  let held: LineBatch[] = [];
  const head = new HeadLines();
  let events = 0;
  let bytesOut = 0;
  let headText = '';
  const guard = new EventGuard(diags.report);

  const startParsing = () => {
    headText = head.text();
    if (!adapter) {
      const r = detect(headText);
      if (!r.adapter) {
        if (headText.trim() === '') {
          // Nothing to recognise: an empty input is a warning, not a failure, for any named output.
          diags.report('input.empty', 0);
          adapter = inputs[0]!;
        } else if (r.ambiguous) {
          throw new ConvertError(`cannot tell the input format of ${name}: ${r.reason}; use --from`, 'unknown-format');
        } else throw new ConvertError(`cannot tell the input format of ${name} (tried ${r.tried.join('; ')}); use --from`, 'unknown-format');
      } else adapter = r.adapter;
    }
    parser = adapter.createParser({ file: name, report: diags.report, options: opts.inputOptions ?? {} });
    writer = out.createWriter({
      weight: opts.weight,
      pretty: opts.pretty,
      inputName: name,
      producer: `tracebridge ${VERSION}`,
      diagnostics: () => diags.summary(),
      flame: opts.flame,
      filters: filter ? describeFilters(opts.filters!) : undefined,
    });
  };

  const count = (evs: TraceEvent[]) => {
    guard.check(evs);
    for (let i = 0; i < evs.length; i++) {
      const k = evs[i]!.kind;
      if (k !== 'info' && k !== 'track' && k !== 'process') events++;
    }
  };

  const parseBatch = (b: LineBatch): TraceEvent[] => {
    const p = parser!;
    const evs = p.pushBytes ? p.pushBytes(b) : p.push(batchTexts(b), b.first);
    count(evs);
    return evs;
  };

  /** A non-empty input that gave no event is a failure that says what was tried on what. */
  const checkNoEvents = () => {
    if (events > 0 || headText.trim() === '') return;
    const first = headText.split('\n').find((l) => l.trim() !== '') ?? '';
    const shown = JSON.stringify(first.length > 80 ? `${first.slice(0, 80)}…` : first);
    const lineCount = splitter.next - 1;
    diags.report(
      'input.no-events',
      0,
      `read as ${adapter!.name}${named && !opts.fromDetected ? ' (--from)' : ' (detected)'}, ${lineCount} line${lineCount === 1 ? '' : 's'} gave no event; the first line is ${shown}`,
    );
  };

  const toLines = chain.flushable(
    (chunk: Uint8Array) => splitter.pushBytes(chunk) ?? chain.none,
    () => splitter.endBytes() ?? chain.none,
  );

  // Holds the first lines until the format is known, then parses (the prefix is replayed).
  const toEvents = chain.flushable(
    (b: LineBatch) => {
      if (!parser) {
        // Kept past this read: a copy, the read's buffer will be read into again.
        held.push({ ...b, buf: Buffer.from(b.buf) });
        if (!head.push(batchTexts(b))) return chain.none;
        startParsing();
        const evs = held.flatMap(parseBatch);
        held = [];
        return evs.length ? evs : chain.none;
      }
      const evs = parseBatch(b);
      return evs.length ? evs : chain.none;
    },
    () => {
      if (!parser) startParsing();
      const evs = held.flatMap(parseBatch);
      held = [];
      const tail = parser!.end();
      count(tail);
      // No spread: the tail may hold a very large number of events.
      for (let i = 0; i < tail.length; i++) evs.push(tail[i]!);
      checkNoEvents();
      return evs.length ? evs : chain.none;
    },
  );

  // The filter stage (src/model/filter.ts), between the adapter and the writer, when asked for.
  const toKept = (evs: TraceEvent[]) => {
    const kept = filter!.push(evs);
    return kept.length ? kept : chain.none;
  };

  const toBytes = chain.flushable(
    (evs: TraceEvent[]) => {
      if (writer!.pushChunks) return writer!.pushChunks(evs)[Symbol.iterator]();
      const b = writer!.push(evs);
      return b === null || b.length === 0 ? chain.none : b;
    },
    () => {
      if (!writer) startParsing();
      if (writer!.endChunks) return writer!.endChunks()[Symbol.iterator]();
      const b = writer!.end();
      return b === null || b.length === 0 ? chain.none : b;
    },
  );


  const source = sourceStream(opts.input, opts.chunkSize);
  const file = source instanceof FileChunks ? source : undefined;
  const src = decompressed(file ? file.stream : (source as Readable));
  let rawBytes = 0;
  const progress = opts.onProgress;
  // The stages run as one stream-chain generator pipeline inside an async-generator step of
  // node's pipeline(): backpressure is plain async iteration, from the reader to the sink.
  const stages = gen(toLines, toEvents, ...(filter ? [toKept] : []), toBytes, (b: Uint8Array | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    bytesOut += buf.length;
    return buf;
  });
  const transform = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let sinceTurn = 0;
    for await (const chunk of source) {
      // A large input in memory, too: a turn of the event loop every few MB.
      sinceTurn += chunk.length;
      if (sinceTurn >= TURN_BYTES) {
        sinceTurn = 0;
        await loopTurn();
      }
      if (progress) {
        rawBytes = file ? file.bytesRead : rawBytes + chunk.length;
        progress(rawBytes);
      }
      // Reads are large (fewer system calls and stream turns); lines are parsed in pieces of
      // about 64 KiB, so a batch's lines and events stay small and die young. Pieces end after
      // a newline where there is one, so no line is carried (copied) from piece to piece.
      let o = 0;
      while (chunk.length - o > PIECE) {
        let cut = chunk.lastIndexOf(10, o + PIECE - 1) + 1;
        if (cut <= o) cut = o + PIECE;
        yield* stages(chunk.subarray(o, cut)) as AsyncGenerator<Uint8Array>;
        o = cut;
      }
      yield* stages(o === 0 ? chunk : chunk.subarray(o)) as AsyncGenerator<Uint8Array>;
      // Every line of it is parsed: the file reader may read into it again.
      file?.done(chunk);
    }
    yield* stages(chain.none as unknown as Uint8Array) as AsyncGenerator<Uint8Array>;
  };

  const pipeOpts = opts.signal ? { signal: opts.signal } : {};
  let collected: Buffer[] | undefined;
  try {
    if (opts.output === undefined) {
      collected = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          collected!.push(chunk);
          cb();
        },
      });
      await pipeline(src, transform, sink, pipeOpts);
    } else if (opts.output === '-') {
      await pipeline(src, transform, process.stdout, { ...pipeOpts, end: false });
    } else if (typeof opts.output === 'string') {
      const target = opts.output;
      let sink: ReturnType<typeof atomicWriteStream>;
      try {
        sink = atomicWriteStream(target, { removeStale: true, onWritten: (c) => writer?.written?.(c) });
      } catch (e) {
        throw new ConvertError(`cannot write ${target}: ${ioReason(e)}`, 'io');
      }
      try {
        await pipeline(src, transform, sink, pipeOpts);
        if ((diags.counts.get('input.no-events') ?? 0) > 0) await sink.abort();
        else await sink.commit();
      } catch (e) {
        await sink.abort();
        // Errors of the temporary file are errors of the output: name the output, not the temp.
        const err = e as NodeJS.ErrnoException;
        if (typeof err.path === 'string' && err.path.includes(TEMP_MARK)) throw new ConvertError(`cannot write ${target}: ${ioReason(e)}`, 'io');
        if (err.syscall === 'write' || err.syscall === 'fsync' || err.syscall === 'rename') throw new ConvertError(`cannot write ${target}: ${ioReason(e)}`, 'io');
        throw e;
      }
    } else {
      await pipeline(src, transform, opts.output, pipeOpts);
    }
  } catch (e) {
    if (e instanceof ConvertError) throw e;
    if ((e as Error).name === 'AbortError') throw e;
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') throw new ConvertError('the output was closed by its reader (EPIPE)', 'io');
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' || /incorrect header|unexpected end/i.test(err.message)) {
      throw new ConvertError(`${name}: corrupt compressed data (${err.message})`, 'io');
    }
    if (err.code && /^E[A-Z]+$/.test(err.code)) throw new ConvertError(`${name}: ${err.message}`, 'io');
    throw e;
  }

  const result: ConvertResult = {
    from: adapter!.name,
    to: out.name,
    lines: splitter.next - 1,
    bytesIn: splitter.bytes,
    bytesOut,
    events,
    diagnostics: diags.summary(),
    severities: { ...diags.bySeverity },
  };
  if (collected) result.output = new Uint8Array(Buffer.concat(collected));
  // An input in memory is read without any I/O, so a run of conversions would never let the
  // event loop reach its timers and I/O: each conversion ends with one turn of it.
  await loopTurn();
  return result;
}
