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
  const v = intPart * POW10[scale]! + frac;
  // Past 2^53 the digits are no longer exact: such a number is out of range, not a value.
  return v > Number.MAX_SAFE_INTEGER ? NaN : v;
}

/**
 * Like parseScaled, but tells an out-of-range number (`'range'`) from text that is not a
 * number (NaN), so that callers can report the first as a limit.
 */
export function parseScaledChecked(s: string, scale: number, start = 0, end = s.length): number | 'range' {
  const v = parseScaled(s, scale, start, end);
  if (!Number.isNaN(v)) return v;
  let i = start;
  while (i < end && ((s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) || s.charCodeAt(i) === 46)) i++;
  return i === end && end > start ? 'range' : NaN;
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Nanoseconds → microseconds as the shortest exact decimal (`1500` → `"1.5"`). */
export function nsToUsString(ns: number): string {
  if (!Number.isSafeInteger(ns)) return bigToUs(ns);
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

/** Any number (beyond 2^53, fractional, not finite) as a plain decimal of microseconds. */
function bigToUs(ns: number): string {
  if (!Number.isFinite(ns)) return '0';
  let b = BigInt(Math.round(ns));
  const neg = b < 0n;
  if (neg) b = -b;
  const whole = b / 1000n;
  const frac = Number(b % 1000n);
  let s = String(whole);
  if (frac !== 0) s += `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  return neg ? `-${s}` : s;
}

/** A weight or count as a plain integer, never in exponent form (`1e21` → `"1000000000000000000000"`). */
export function plainInteger(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (!Number.isFinite(v)) return '0';
  return BigInt(Math.round(v)).toString();
}

/** Nanoseconds → seconds with 9 decimals (`1500` → `"0.000001500"`). */
export function nsToSecondsString(ns: number): string {
  if (!Number.isSafeInteger(ns)) {
    if (!Number.isFinite(ns)) return '0.000000000';
    const b = BigInt(Math.round(ns));
    const a = b < 0n ? -b : b;
    return `${b < 0n ? '-' : ''}${a / 1_000_000_000n}.${String(a % 1_000_000_000n).padStart(9, '0')}`;
  }
  const neg = ns < 0;
  const a = neg ? -ns : ns;
  const whole = Math.floor(a / 1e9);
  const frac = a - whole * 1e9;
  return `${neg ? '-' : ''}${whole}.${String(frac).padStart(9, '0')}`;
}
