/** Character classes and small scanners the dmesg tokenizer shares. */

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
export const isSymChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;
export const isSymStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
export const isModChar = (c: number) => isSymChar(c) || c === 45;

export function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** `[<hex>]` at i → index after it, or -1. */
export function bracketAddr(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91 || s.charCodeAt(i + 1) !== 60) return -1;
  let j = i + 2;
  const hs = j;
  while (isHex(s.charCodeAt(j))) j++;
  if (j === hs || s.charCodeAt(j) !== 62 || s.charCodeAt(j + 1) !== 93) return -1;
  return j + 2;
}

/** A report's text as a title: trimmed, at most 240 characters. */
export function title(s: string): string {
  s = s.trim();
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}
