"""The (6, 6) rational of atan_rem on |v| ≤ 1 (src/functions/atan-rem.ts, NUMERATOR and DENOMINATOR).

atan_rem(v) = v³·N(s)/D(s) with s = v², fitted to Q(s) = (atan(√s) − √s/(1 + s))/s^(3/2) on
0 ≤ s ≤ 1 for the least relative error: linearised least squares (N − Q·D ≈ 0, D's constant
term 1) at 300 Chebyshev points in 50-digit arithmetic, reweighted 30 times (Lawson: each
point's weight times its error) with the previous D dividing each row; the iterate with the
smallest maximum error is kept. Prints the coefficients, lowest degree first, as JSON, and the
fit's relative error on stderr. Needs mpmath (Debian: python3-mpmath). Run through `npm run fits`.
"""
import json
import sys
import mpmath as mp

from arctangent_tail import tail_ratio

mp.mp.dps = 50

Q = tail_ratio


def fit(m, n, points=300, rounds=30):
    ss = [(mp.cos(mp.pi * (k + mp.mpf(1) / 2) / points) + 1) / 2 for k in range(points)]
    qs = [Q(s) for s in ss]
    weights = [mp.mpf(1)] * points
    denominators = [mp.mpf(1)] * points
    best = None
    for _ in range(rounds):
        A = mp.matrix(points, m + 1 + n)
        b = mp.matrix(points, 1)
        for i, (s, q) in enumerate(zip(ss, qs)):
            scale = mp.sqrt(weights[i]) / (abs(denominators[i]) * q)
            for j in range(m + 1):
                A[i, j] = s**j * scale
            for j in range(1, n + 1):
                A[i, m + j] = -q * s**j * scale
            b[i] = q * scale
        x, _ = mp.qr_solve(A, b)
        num = [x[j] for j in range(m + 1)]
        den = [mp.mpf(1)] + [x[m + j] for j in range(1, n + 1)]
        errors = []
        for i, (s, q) in enumerate(zip(ss, qs)):
            denominators[i] = mp.polyval(den[::-1], s)
            errors.append((mp.polyval(num[::-1], s) / denominators[i] - q) / q)
        worst = max(abs(e) for e in errors)
        if best is None or worst < best[0]:
            best = (worst, num, den)
        weights = [w * abs(e) for w, e in zip(weights, errors)]
        total = sum(weights)
        weights = [w / total for w in weights]
    return best


worst, num, den = fit(6, 6)
print(f"relative error of the fit: {mp.nstr(worst, 3)}", file=sys.stderr)
print(json.dumps({"NUMERATOR": [float(v) for v in num], "DENOMINATOR": [float(v) for v in den]}))
