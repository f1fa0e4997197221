/**
 * Field names repeat on every line: hand out one internalized string per name, so building the
 * field objects takes V8's fast property paths (a fresh slice as a key costs a string-table
 * lookup on every store).
 */
const names = new Map<number, string[]>();
let namesCount = 0;

export function internName(s: string, start: number, end: number): string {
  const key = (end - start) * 65536 + s.charCodeAt(start) * 256 + (s.charCodeAt(end - 1) & 255);
  let list = names.get(key);
  if (list) {
    for (let k = 0; k < list.length; k++) if (s.startsWith(list[k]!, start)) return list[k]!;
  } else if (namesCount < 50_000) names.set(key, (list = []));
  const name = s.slice(start, end);
  if (!list || list.length >= 32) return name;
  const o: Record<string, number> = {};
  o[name] = 0;
  const interned = Object.keys(o)[0]!;
  list.push(interned);
  namesCount++;
  return interned;
}
