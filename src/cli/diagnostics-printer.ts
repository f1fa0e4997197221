import type { Diagnostic, Severity } from '../model/diagnostics.js';
import { formatDiagnostic } from '../model/diagnostics.js';

/** How many lines of one code are printed before the rest is only counted. */
export const PER_CODE_LIMIT = 20;

/**
 * Prints diagnostics to a stream as `file:line: severity[code]: message`, warnings and errors
 * always (up to PER_CODE_LIMIT per code), infos only when verbose; the summary counts all.
 */
export class DiagnosticPrinter {
  private readonly perCode = new Map<string, number>();
  private readonly counts = new Map<string, { severity: Severity; n: number }>();

  constructor(
    private readonly write: (s: string) => void,
    private readonly opts: { quiet: boolean; verbose: boolean },
  ) {}

  readonly onDiagnostic = (d: Diagnostic) => {
    const c = this.counts.get(d.code);
    if (c) c.n++;
    else this.counts.set(d.code, { severity: d.severity, n: 1 });
    if (this.opts.quiet) return;
    if (d.severity === 'info' && !this.opts.verbose) return;
    const n = (this.perCode.get(d.code) ?? 0) + 1;
    this.perCode.set(d.code, n);
    if (n <= PER_CODE_LIMIT || this.opts.verbose) this.write(formatDiagnostic(d) + '\n');
  };

  /** `code ×N` per code, most severe first; says how many lines were not printed. */
  summary(): string {
    if (this.counts.size === 0) return '';
    const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    const rows = [...this.counts].sort((a, b) => order[a[1].severity] - order[b[1].severity] || a[0].localeCompare(b[0]));
    const lines = rows.map(([code, { severity, n }]) => {
      const shown = severity === 'info' && !this.opts.verbose ? 0 : Math.min(n, this.opts.verbose ? n : PER_CODE_LIMIT);
      const hidden = this.opts.quiet ? '' : n > shown ? ` (${n - shown} not shown${severity === 'info' ? '; --verbose shows them' : ''})` : '';
      return `  ${severity} ${code} ×${n}${hidden}`;
    });
    return `diagnostics:\n${lines.join('\n')}\n`;
  }
}
