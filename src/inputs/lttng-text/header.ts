/**
 * The header between a line's delta and its event name: hostname, tracing domain, process name
 * and vpid, as babeltrace's field options print them. The same few headers repeat on every
 * line, so each distinct text is read once.
 */

/** What a header says. */
export interface HeaderInfo {
  host?: string;
  domain?: string;
  procname?: string;
  vpid?: number;
  printer?: 1 | 2;
}
const headerCache = new Map<string, HeaderInfo>();

/**
 * The header between the delta and the event name: `host`, `proc:(vpid)`, `host:proc:vpid`,
 * `trace host:domain:proc:(vpid):LOGLEVEL (13)` (`--fields=all`; babeltrace2 glues the trace
 * name to the hostname there).
 */
export function headerInfo(prefix: string): HeaderInfo {
  let h = headerCache.get(prefix);
  if (h) return h;
  h = {};
  let p = prefix.trim();
  // `:TRACE_DEBUG_LINE (13)` or a leading `TRACE_INFO (6)` when it is the only field.
  const ll = /(?:^|:)TRACE_[A-Z_]+ \(\d+\)$/.exec(p);
  if (ll) p = p.slice(0, ll.index);
  const sp = p.lastIndexOf(' ');
  if (sp !== -1) p = p.slice(sp + 1); // trace name (babeltrace 1 -f all)
  const parts = p === '' ? [] : p.split(':');
  let vpidAt = -1;
  for (let k = parts.length - 1; k >= 1; k--) {
    const m = /^(\()?(\d+)\)?$/.exec(parts[k]!);
    if (m) {
      h.vpid = Number(m[2]);
      h.printer = m[1] ? 2 : 1;
      vpidAt = k;
      break;
    }
  }
  const domAt = parts.findIndex((x, k) => k > 0 && (x === 'kernel' || x === 'ust'));
  if (domAt !== -1) h.domain = parts[domAt];
  if (vpidAt !== -1) {
    const procAt = vpidAt - 1;
    if (procAt !== domAt) h.procname = parts[procAt];
    if (procAt > 0 && domAt !== 0) h.host = parts[0];
  } else if (parts.length > 0) h.host = parts[0];
  if (h.host === '') delete h.host;
  if (headerCache.size > 10_000) headerCache.clear();
  headerCache.set(prefix, h);
  return h;
}
