/**
 * The SVG flame graph is XML: names holding characters XML 1.0 forbids (C0 controls but tab,
 * LF and CR) are drawn as U+FFFD, since not even a character reference may carry them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../../src/outputs/flamegraph/svg.js';
import { validateSvg } from '../../../src/fuzz/validate.js';
import { convert } from '../../../src/pipeline/convert.js';
import { SAMPLES } from '../../support/convert-helpers.js';

describe('flame graph SVG stays XML', () => {
  it('escapeXml: markup characters as entities, forbidden characters as U+FFFD, the rest as it is', () => {
    expect(escapeXml('a&b<c>d"e')).toBe('a&amp;b&lt;c&gt;d&quot;e');
    expect(escapeXml('x\u0000y\u0017z\u001f\u000b\u000c\ufffe\uffff')).toBe('x\ufffdy\ufffdz\ufffd\ufffd\ufffd\ufffd\ufffd');
    expect(escapeXml('tab\tlf\ncr\r é ✓')).toBe('tab\tlf\ncr\r é ✓');
  });

  it('a perf script frame with a control character (a flipped byte) gives a well-formed SVG', async () => {
    const f = path.join(SAMPLES, '..', 'test', 'fixtures', 'fuzz', 'perf-script-control-char-in-frame.txt');
    const r = await convert({ input: f, from: 'perf-script', to: 'svg' });
    const svg = Buffer.from(r.output!).toString('utf8');
    expect(validateSvg(r.output!)).toBeNull();
    expect(svg).toContain('leaf.const7rop.0+0\ufffd1d');
  });
});

describe('a flame graph of an input with no stacks', () => {
  it('says there is nothing to draw instead of drawing a blank graph', async () => {
    const text = [
      '# tracer: nop',
      '          <idle>-0     [000] d..2.   100.000001: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=5 next_prio=120',
      '               a-5     [000] d..2.   100.000009: sched_switch: prev_comm=a prev_pid=5 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120',
      '',
    ].join('\n');
    const r = await convert({ input: new TextEncoder().encode(text), to: 'svg' });
    const svg = new TextDecoder().decode(r.output);
    expect(svg).toContain('nothing to draw');
    expect(svg).not.toMatch(/data-w="[1-9]/);
  });
});
