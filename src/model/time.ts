/**
 * Exact decimal ↔ integer-nanosecond conversions. Text traces print times as decimals
 * (`593.526808` s, `17.381` us); going through floating point would lose nanoseconds, so these
 * functions work on the digits.
 */

/**
 * Parses the decimal number in `s[start, end)` and scales it by 10^scale (scale 9 turns seconds
 * into ns, 3 turns microseconds into ns). Digits beyond the scale are cut (not rounded).
 * Returns NaN when the text is not a plain unsigned decimal.
 */
export function parseScaled(s: string, scale: number, start = 0, end = s.length): number {
  let intPart = 0;
  let i = start;
  let digits = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    intPart = intPart * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < end && s.charCodeAt(i) === 46 /* . */) {
    i++;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (fracDigits < scale) {
        frac = frac * 10 + (c - 48);
        fracDigits++;
      }
      digits++;
    }
  }
  if (i !== end || digits === 0) return NaN;
  while (fracDigits < scale) {
    frac *= 10;
    fracDigits++;
  }
  return intPart * POW10[scale]! + frac;
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Nanoseconds → microseconds as the shortest exact decimal (`1500` → `"1.5"`). */
export function nsToUsString(ns: number): string {
  const neg = ns < 0;
  const a = neg ? -ns : ns;
  const whole = Math.floor(a / 1000);
  const frac = a - whole * 1000;
  let s: string;
  if (frac === 0) s = String(whole);
  else {
    let f = String(frac).padStart(3, '0');
    while (f.endsWith('0')) f = f.slice(0, -1);
    s = `${whole}.${f}`;
  }
  return neg ? `-${s}` : s;
}

/** Nanoseconds → seconds with 9 decimals (`1500` → `"0.000001500"`). */
export function nsToSecondsString(ns: number): string {
  const neg = ns < 0;
  const a = neg ? -ns : ns;
  const whole = Math.floor(a / 1e9);
  const frac = a - whole * 1e9;
  return `${neg ? '-' : ''}${whole}.${String(frac).padStart(9, '0')}`;
}
