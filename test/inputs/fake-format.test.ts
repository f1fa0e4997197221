/**
 * Adding a format is one folder, one registry line and one samples folder: a tiny format
 * registered here (through `registerInput`, the call the registry makes for its own list) is
 * detected, converted, offers its option in `convert` and `batch`, and its diagnostic code is
 * printed with its own meaning.
 *
 * The format, `stackcount`: a `# stackcount` header, then `root;child;leaf COUNT` lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { detect, diagnosticCodes, inputByName, inputOptionsOf, inputs, registerInput } from '../../src/inputs/registry.js';
import type { InputAdapter, SniffVerdict } from '../../src/inputs/types.js';
import { defineCodes } from '../../src/model/diagnostics.js';
import type { TraceEvent } from '../../src/model/events.js';
import { convert } from '../../src/pipeline/convert.js';

// What would be src/inputs/stackcount/codes.ts ...
const codes = defineCodes('stackcount', {
  'stackcount.bad-line': ['warning', 'a line that is not `frames COUNT`: skipped'],
} as const);

declare module '../../src/model/diagnostics.js' {
  interface AdapterCodeTables {
    stackcount: typeof codes;
  }
}

// ... what would be src/inputs/stackcount/options.ts (the key is the option's camelCase) ...
declare module '../../src/inputs/types.js' {
  interface InputOptions {
    stackcountScale?: number;
  }
}

// ... and src/inputs/stackcount/index.ts.
function sniffVerdict(head: string): SniffVerdict {
  const first = head.split('\n', 1)[0]!;
  if (first.trim() === '# stackcount') return { answer: 'yes', level: 3, reason: 'a `# stackcount` header', lines: [1] };
  return { answer: 'no', level: 0, reason: 'no `# stackcount` header', lines: [] };
}

const stackcount: InputAdapter = {
  name: 'stackcount',
  description: 'stack counts, one `root;child;leaf COUNT` per line',
  priority: 90,
  codes,
  options: [{ name: 'stackcount-scale', type: 'number', default: 1, description: 'stackcount: multiply every count by this' }],
  sniff: (head) => sniffVerdict(head).answer,
  sniffVerdict,
  createParser(ctx) {
    const scale = ctx.options.stackcountScale ?? 1;
    let started = false;
    return {
      push(lines, first) {
        const out: TraceEvent[] = [];
        if (!started) {
          started = true;
          out.push({ kind: 'info', format: 'stackcount', clock: 'none' }, { kind: 'track', track: { kind: 'global', id: 1, name: 'stacks' } });
        }
        lines.forEach((l, i) => {
          if (l.startsWith('#') || l.trim() === '') return;
          const m = /^(\S+) (\d+)$/.exec(l);
          if (!m) return ctx.report('stackcount.bad-line', first + i);
          out.push({ kind: 'sample', ts: 0, track: 1, weight: Number(m[2]) * scale, frames: m[1]!.split(';').map((name) => ({ name })) });
        });
        return out;
      },
      end: () => [],
    };
  },
};

registerInput(stackcount);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-fake-format-'));
const file = path.join(dir, 'counts.txt');
fs.writeFileSync(file, '# stackcount\nmain;read;vfs_read 3\nthis is not a count\nmain;write 2\n');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('a format added by registering it', () => {
  it('joins the registry: listed, by name, its codes in the catalogue; a second registration is refused', async () => {
    expect(inputByName('stackcount')).toBe(stackcount);
    expect(inputs.at(-1)).toBe(stackcount);
    expect(diagnosticCodes['stackcount.bad-line']).toEqual(['warning', 'a line that is not `frames COUNT`: skipped']);
    expect(() => registerInput(stackcount)).toThrow(/registered twice/);
    expect(() => registerInput({ ...stackcount, name: 'other', options: [{ name: 'offsets', type: 'boolean', description: '' }] })).toThrow(/--offsets/);
    expect((await cli('formats')).out).toMatch(/^ {2}stackcount +stack counts, one/m);
  });

  it('is detected, by the library and by the detect command', async () => {
    const d = detect(fs.readFileSync(file, 'utf8'));
    expect(d.adapter?.name).toBe('stackcount');
    expect(d.reason).toBe('stackcount: a `# stackcount` header');
    const r = await cli('detect', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('stackcount: yes (certain, level 3): a `# stackcount` header');
    expect(r.out).toMatch(/detected: stackcount/);
  });

  it('converts, with its option from the command line, and prints its diagnostic with its meaning', async () => {
    const out = path.join(dir, 'counts.folded');
    const r = await cli('convert', file, '-o', out, '--stackcount-scale', '10');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('main;read;vfs_read 30\nmain;write 20\n');
    expect(r.err).toContain(`${file}:3: warning[stackcount.bad-line]: a line that is not \`frames COUNT\`: skipped\n`);
    expect(r.err).toMatch(/diagnostics:\n {2}warning stackcount\.bad-line ×1\n/);
    expect(r.err).toMatch(/stackcount → folded: 4 lines, 2 events/);
    // The default (1), set once in the spec.
    expect(inputOptionsOf({ 'stackcount-scale': 1 })).toMatchObject({ stackcountScale: 1 });
    const lib = await convert({ input: file, to: 'folded' });
    expect(Buffer.from(lib.output!).toString()).toBe('main;read;vfs_read 3\nmain;write 2\n');
    expect(lib.from).toBe('stackcount');
    expect(lib.diagnostics).toEqual({ 'stackcount.bad-line': 1 });
  });

  it('offers its option in the help of convert and batch, and is a --from choice', async () => {
    for (const cmd of ['convert', 'batch']) {
      const h = await cli(cmd, '--help');
      expect(h.out, cmd).toMatch(/--stackcount-scale +stackcount: multiply every count by this +\[number\] \[default: 1\]/);
      if (cmd === 'convert') expect(h.out).toMatch(/--from +input format +\[string\] \[choices: "auto", .*"stackcount"\]/);
    }
    const named = await cli('convert', file, '--from', 'stackcount', '--to', 'folded', '-o', path.join(dir, 'named.folded'));
    expect(named.code).toBe(0);
  });
});
