/**
 * A fixed-seed run of the fuzzer (`npm run fuzz` runs it long): every input adapter meets
 * mutations of its samples, every output is validated, one output per case is converted twice
 * for determinism. Nothing may crash, be invalid or differ.
 */
import { describe, expect, it } from 'vitest';
import { inputs } from '../../src/inputs/registry.js';
import { MUTATION_NAMES } from '../../src/fuzz/mutate.js';
import { fuzz } from '../../src/fuzz/run.js';
import { SAMPLES } from '../support/convert-helpers.js';

const TOTAL_CASES = 2100;
const perInput = Math.ceil(TOTAL_CASES / inputs.length);

describe('fuzzer, fixed seed', () => {
  const names = inputs.map((a) => a.name);
  const check = async (name: string) => {
    const r = await fuzz({ seed: 20261202, casesPerInput: perInput, samplesDir: SAMPLES, inputs: [name] });
    const s = r.perInput[name]!;
    expect(s.cases).toBe(perInput);
    // Every mutation changed some case of every input (lines of other formats, deep stacks of frames too).
    expect(MUTATION_NAMES.filter((m) => !s.mutations[m])).toEqual([]);
    expect(r.failures.map((f) => `${f.kind} ${f.output} case ${f.case} (${f.mutations.join('+')}): ${f.message}`)).toEqual([]);
  };
  it.each(names)(`%s: ${perInput} mutated cases, all outputs valid and deterministic`, check);
});

describe('fuzzer with random conversion options (input options, folded weight, filters)', () => {
  it.each(['perf-script', 'dmesg'])('%s: 100 cases, all outputs valid and deterministic', async (name) => {
    const r = await fuzz({ seed: 20261204, casesPerInput: 100, samplesDir: SAMPLES, inputs: [name], randomOptions: true });
    expect(r.perInput[name]!.cases).toBe(100);
    expect(r.failures.map((f) => `${f.kind} ${f.output} case ${f.case} ${JSON.stringify(f.options)}: ${f.message}`)).toEqual([]);
  });
  it('draws every option, and the same options for the same seed', async () => {
    const { randomOptions } = await import('../../src/fuzz/options.js');
    const { rng } = await import('../../src/fuzz/mutate.js');
    const seen = new Set<string>();
    for (let s = 0; s < 300; s++) {
      const o = randomOptions(rng(s));
      expect(randomOptions(rng(s))).toEqual(o);
      for (const k of Object.keys(o.inputOptions ?? {})) seen.add(k);
      for (const k of Object.keys(o.filters ?? {})) seen.add(`filter.${k}`);
      if (o.weight) seen.add(`weight.${o.weight}`);
    }
    expect([...seen].sort()).toEqual(
      ['addrs', 'annotate', 'compat', 'eventFilter', 'inline', 'modules', 'offsets', 'srcline', 'unreliable', 'withPid', 'withTid']
        .concat(['filter.comm', 'filter.cpu', 'filter.exclude', 'filter.function', 'filter.maxDepth', 'filter.pid', 'filter.tid', 'filter.time'])
        .concat(['weight.count', 'weight.self', 'weight.total'])
        .sort(),
    );
  });
});

describe('mutations', () => {
  it('every mutation takes empty, one-line and binary inputs', async () => {
    const { MUTATIONS, rng } = await import('../../src/fuzz/mutate.js');
    const ins = [new Uint8Array(0), new TextEncoder().encode('one line'), new TextEncoder().encode('a\nb\n'), Uint8Array.from([0, 255, 10, 13])];
    for (const [name, m] of Object.entries(MUTATIONS)) {
      for (const b of ins) {
        for (let s = 0; s < 20; s++) expect(m(b, rng(s), { foreign: [] }), name).toBeInstanceOf(Uint8Array);
      }
    }
  });
});

describe('cases the fuzzer found, minimised (test/fixtures/fuzz/<input>-*.txt)', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { convert } = await import('../../src/pipeline/convert.js');
  const { outputs } = await import('../../src/outputs/registry.js');
  const { validatorFor } = await import('../../src/fuzz/validate.js');
  const dir = path.join(SAMPLES, '..', 'test', 'fixtures', 'fuzz');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  it.each(files)('%s converts to valid outputs', async (f) => {
    const input = inputs.find((a) => f.startsWith(`${a.name}-`))!;
    for (const o of outputs) {
      const r = await convert({ input: path.join(dir, f), from: input.name, to: o.name });
      expect(validatorFor(o.name, o.binary)?.(r.output!) ?? null, o.name).toBeNull();
      // Whatever the read size (lines cut between reads take the general path), the same bytes.
      for (const chunkSize of [1, 7, 64, 1391]) {
        const again = await convert({ input: path.join(dir, f), from: input.name, to: o.name, chunkSize });
        expect(Buffer.from(again.output!).equals(Buffer.from(r.output!)), `${o.name}, read size ${chunkSize}`).toBe(true);
      }
    }
  });
});
