/**
 * Exact rational numbers. Literals such as 0.01 or 1/3 stay exact through folding,
 * so the high-precision verifier sees the number the user wrote, not its double.
 */
export interface Rational {
  readonly n: bigint;
  /** Always positive; gcd(n, d) = 1. */
  readonly d: bigint;
}

const abs = (a: bigint): bigint => (a < 0n ? -a : a);

const bitLength = (a: bigint): number => a.toString(16).length * 4;
/** Leading bits Lehmer's steps look at: quotients of numbers below 2⁴⁸ are exact in float64. */
const LEHMER_BITS = 48;

/**
 * The greatest common divisor of |a| and |b| (0 when both are 0). Lehmer's algorithm: Euclid's
 * quotients are read off the leading 48 bits for as long as they are certain (the quotient of
 * the bounds on both sides agrees), and applied to the big numbers in one step. The cofactor
 * matrix has determinant ±1, so each step keeps the gcd. For numbers of thousands of digits
 * (Sturm sequences, contents of large polynomials) it saves most of the big divisions.
 */
export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  if (a < b) [a, b] = [b, a];
  while (b !== 0n && bitLength(a) > LEHMER_BITS + 16) {
    const shift = BigInt(bitLength(a) - LEHMER_BITS);
    let x = Number(a >> shift);
    let y = Number(b >> shift);
    let [p, q, r, s] = [1, 0, 0, 1];
    // (Knuth, Algorithm L) a′ = p·a + q·b, b′ = r·a + s·b; every quantity stays below 2⁵⁰.
    while (y + r !== 0 && y + s !== 0) {
      const k = Math.floor((x + p) / (y + r));
      if (k !== Math.floor((x + q) / (y + s))) break;
      [p, r] = [r, p - k * r];
      [q, s] = [s, q - k * s];
      [x, y] = [y, x - k * y];
    }
    if (q === 0) [a, b] = [b, a % b];
    else {
      // Knuth shows both stay ≥ 0 and in order; the determinant ±1 keeps the gcd whatever they are.
      [a, b] = [abs(BigInt(p) * a + BigInt(q) * b), abs(BigInt(r) * a + BigInt(s) * b)];
      if (a < b) [a, b] = [b, a];
    }
  }
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError("rational with zero denominator");
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO = rational(0n);
export const ONE = rational(1n);

export function fromInteger(k: number): Rational {
  return rational(BigInt(k));
}

/** Parses a decimal literal (`12`, `0.5`, `.25`, `1e-3`, `2.5E+4`) exactly. */
export function fromDecimalString(text: string): Rational {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw new SyntaxError(`not a decimal literal: ${text}`);
  const intPart = m[1] ?? "";
  const fracPart = m[2] ?? "";
  const exponent = Number(m[3] ?? "0") - fracPart.length;
  const digits = BigInt((intPart + fracPart) || "0");
  return exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent));
}

/** The exact value of a finite double (every double is a dyadic rational). */
export function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x)) return rational(BigInt(x));
  let d = 1n;
  let v = x;
  while (!Number.isInteger(v)) {
    v *= 2;
    d *= 2n;
  }
  return rational(BigInt(v), d);
}

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError("division by zero");
  return rational(a.n * b.d, a.d * b.n);
}

export const isZero = (a: Rational): boolean => a.n === 0n;
export const isOne = (a: Rational): boolean => a.n === 1n && a.d === 1n;
export const isInteger = (a: Rational): boolean => a.d === 1n;
export const isNegative = (a: Rational): boolean => a.n < 0n;
export const equals = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;
export const compare = (a: Rational, b: Rational): number => {
  const diff = a.n * b.d - b.n * a.d;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};

/** Integer power; the exponent must be a (small) integer. */
export function powInteger(a: Rational, k: number): Rational {
  if (k === 0) return ONE;
  if (k < 0) return div(ONE, powInteger(a, -k));
  return rational(a.n ** BigInt(k), a.d ** BigInt(k));
}

/** Exact root when a^(1/k) is rational (4^(1/2) = 2), otherwise undefined. */
export function exactRoot(a: Rational, k: number): Rational | undefined {
  if (a.n < 0n && k % 2 === 0) return undefined;
  const root = (v: bigint): bigint | undefined => {
    const sign = v < 0n ? -1n : 1n;
    const m = abs(v);
    let r = BigInt(Math.round(Number(m) ** (1 / k)));
    for (const c of [r - 1n, r, r + 1n]) if (c >= 0n && c ** BigInt(k) === m) return sign * c;
    r = 0n;
    return undefined;
  };
  const n = root(a.n);
  const d = root(a.d);
  return n === undefined || d === undefined ? undefined : rational(n, d);
}

const MAX_SAFE = 2n ** 53n;

/** Nearest double (exact division when both parts fit in 53 bits, else a 25-digit decimal). */
export function toNumber(a: Rational): number {
  if (abs(a.n) <= MAX_SAFE && a.d <= MAX_SAFE) return Number(a.n) / Number(a.d);
  return Number(toDecimalDigits(a, 25));
}

function toDecimalDigits(a: Rational, significant: number): string {
  if (a.n === 0n) return "0";
  const sign = a.n < 0n ? "-" : "";
  const n = abs(a.n);
  const shift = significant - (n.toString().length - a.d.toString().length) + 1;
  const scaled = shift >= 0 ? (n * 10n ** BigInt(shift)) / a.d : n / (a.d * 10n ** BigInt(-shift));
  return `${sign}${scaled}e${-shift}`;
}

/** The decimal places of 1/d when d = 2^a·5^b (max(a, b)); undefined when 1/d's expansion does not end. */
function decimalPlaces(d: bigint): number | undefined {
  const twos = (d & -d).toString(2).length - 1; // trailing zero bits: a double's denominator is 2^k
  let rest = d >> BigInt(twos);
  let fives = 0;
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  return rest === 1n ? Math.max(twos, fives) : undefined;
}

/**
 * r as a decimal string without rounding (`${integer}e-${places}`), when its denominator divides a
 * power of 10 and the places stay few: what a BigNumber takes exactly, whatever its precision.
 */
export function exactDecimal(r: Rational): string | undefined {
  const places = decimalPlaces(r.d);
  // 2^−1074 (the smallest double) has 1074 decimal places; past 1100 a number is not a double's.
  if (places === undefined || places > 1100) return undefined;
  return `${r.n * (10n ** BigInt(places) / r.d)}e-${places}`;
}

/** Denominators of the form 2^a·5^b have a finite decimal expansion. */
const isFiniteDecimal = (a: Rational): boolean => decimalPlaces(a.d) !== undefined;

/** Finite decimal expansion, exact (`0.01`, `1e-300`), used for literals that came from decimals. */
function toDecimalString(a: Rational): string {
  const sign = a.n < 0n ? "-" : "";
  const n = abs(a.n);
  let scale = 0;
  let d = a.d;
  let num = n;
  while (d !== 1n) {
    num *= 10n;
    scale += 1;
    const g = gcd(num, d);
    num /= g;
    d /= g;
  }
  const digits = num.toString();
  if (scale === 0) return sign + digits;
  // Positional where JavaScript writes numbers so (1e-7 ≤ |a| < 1e21): selu's
  // 1.0507009873554804934193349852946 prints as written, not as 1.05…e0; 1e-300 stays short.
  const exponent = digits.length - 1 - scale;
  if (scale > 20 && (exponent < -7 || exponent >= 21)) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent}`; // 43.84… is 4.384…e1, not e--7
  }
  const padded = digits.padStart(scale + 1, "0");
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/**
 * The shorter exact spelling, the fraction on a tie: `3`, `0.01`, `1e-300`, `1/2`, `1/8`, `1/3`.
 * Parses back to the same value.
 */
export function toString(a: Rational): string {
  if (isInteger(a)) {
    const s = a.n.toString();
    return s.length > 21 ? toDecimalString(a) : s;
  }
  const fraction = `${a.n}/${a.d}`;
  if (!isFiniteDecimal(a) || a.d > 10n ** 400n) return fraction;
  const decimal = toDecimalString(a);
  return decimal.length < fraction.length ? decimal : fraction;
}
