/**
 * The frame options stack inputs share (dmesg call traces, ftrace-events `<stack trace>`
 * blocks): declared once here, offered by `convert` and `batch`, read by `model/stacks.ts`.
 */
import type { InputOptionSpec } from './types.js';

export const stackOptionSpecs: readonly InputOptionSpec[] = [
  { name: 'offsets', type: 'boolean', default: false, description: 'stacks: keep +0x1a/0x40 offsets on frames' },
  { name: 'unreliable', type: 'boolean', default: false, description: 'stacks: keep "?" frames the unwinder was unsure of' },
  { name: 'modules', type: 'boolean', default: true, description: 'stacks: keep [module] suffixes on frame names' },
];
