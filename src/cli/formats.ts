/** `tracebridge formats`: the input and output formats, as `--from` and `--to` take them. */
import { inputs } from '../inputs/registry.js';
import { outputs } from '../outputs/registry.js';
import { type Command, EXIT } from './io.js';

export function formatsText(): string {
  const w = Math.max(...[...inputs, ...outputs].map((a) => a.name.length));
  const lines = ['inputs (--from):', `  ${'auto'.padEnd(w)}  detect from the first 64 KiB (the default)`];
  for (const a of inputs) lines.push(`  ${a.name.padEnd(w)}  ${a.description}`);
  lines.push('', 'outputs (--to, or by the -o extension):');
  for (const o of outputs) lines.push(`  ${o.name.padEnd(w)}  ${o.description} [${o.extensions.join(' ')}]`);
  return lines.join('\n') + '\n';
}

/** The `formats` command module. */
export const formatsCommand: Command = ({ io, done }) => ({
  command: 'formats',
  describe: 'list the input and output formats',
  builder: {},
  handler: () => {
    io.stdout(formatsText());
    done(EXIT.ok);
  },
});
