/**
 * ‖J‖₂, the largest singular value of a small matrix: the square root of the largest eigenvalue
 * of JᵀJ (or JJᵀ, whichever is smaller), found by cyclic Jacobi rotations, which converge for
 * every symmetric matrix and keep it symmetric to rounding. The matrices here are at most 8 × 8.
 */
export function spectralNorm(rows: readonly (readonly number[])[]): number {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  if (m === 0 || n === 0) return 0;
  // The Gram matrix of the shorter side.
  const [size, entry] = m <= n
    ? [m, (a: number, b: number) => dot(rows[a]!, rows[b]!)]
    : [n, (a: number, b: number) => rows.reduce((s, r) => s + r[a]! * r[b]!, 0)];
  const g = Array.from({ length: size }, (_, a) => Array.from({ length: size }, (_, b) => entry(a, b)));
  return Math.sqrt(Math.max(0, ...symmetricEigenvalues(g)));
}

const dot = (u: readonly number[], v: readonly number[]): number => u.reduce((s, x, k) => s + x * v[k]!, 0);

/** Eigenvalues of a symmetric matrix (overwritten), by sweeps of Jacobi rotations until the off-diagonal part is negligible. */
export function symmetricEigenvalues(a: number[][]): number[] {
  const n = a.length;
  const scale = Math.max(1e-300, ...a.flat().map(Math.abs));
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (Math.sqrt(off) <= 1e-15 * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q]: tan θ = t, the smaller root (Golub and Van Loan, 8.5.2).
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, k) => row[k]!);
}
