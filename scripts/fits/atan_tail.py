"""The two polynomials of atan_tail's tail (src/functions/table.ts, ATAN_TAIL_NEAR and ATAN_TAIL_MID).

P(s) = (atan(√s) − √s/(1 + s))/s^(3/2), so that atan_tail(u) = −P(1/u²)/u³ below u = −1.
Chebyshev interpolation at 30 points of the first kind in 80-digit arithmetic, truncated where
the next Chebyshev coefficient is below 1e-19, then written in monomials: in s on [0, 1/4], and
in t = (8s − 5)/3 on [1/4, 1]. Prints the coefficients, lowest degree first, as JSON.
Needs mpmath (Debian: python3-mpmath). Run through `npm run fits`, which compares them with the source.
"""
import json
import mpmath as mp

from arctangent_tail import tail_ratio

mp.mp.dps = 80

P = tail_ratio


def chebyshev_interpolant(f, a, b, n=30, cut=mp.mpf("1e-19")):
    """Coefficients cⱼ of Σ cⱼ Tⱼ(x) interpolating f((b − a)x/2 + (a + b)/2) at n Chebyshev points."""
    angles = [mp.pi * (k + mp.mpf(1) / 2) / n for k in range(n)]
    values = [f((b - a) / 2 * mp.cos(th) + (a + b) / 2) for th in angles]
    c = [2 * mp.fsum(v * mp.cos(j * th) for v, th in zip(values, angles)) / n for j in range(n)]
    c[0] /= 2
    while len(c) > 1 and abs(c[-1]) < cut:
        c.pop()
    return c


def monomials(c):
    """Σ cⱼ Tⱼ(x) as Σ aᵢ xⁱ."""
    T = [[mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]]
    while len(T) < len(c):
        nxt = [mp.mpf(0)] + [2 * v for v in T[-1]]
        for i, v in enumerate(T[-2]):
            nxt[i] -= v
        T.append(nxt)
    a = [mp.mpf(0)] * len(c)
    for j, cj in enumerate(c):
        for i, v in enumerate(T[j]):
            a[i] += cj * v
    return a


def near():
    """In s on [0, 1/4]: the interpolant is in x = 8s − 1, expanded in powers of s."""
    in_x = monomials(chebyshev_interpolant(P, 0, mp.mpf(1) / 4))
    in_s = [mp.mpf(0)] * len(in_x)
    for i, ai in enumerate(in_x):
        for k in range(i + 1):
            in_s[k] += ai * mp.binomial(i, k) * mp.mpf(8) ** k * (-1) ** (i - k)
    return in_s


def mid():
    """In t = (8s − 5)/3 on s ∈ [1/4, 1], i.e. t ∈ [−1, 1]."""
    return monomials(chebyshev_interpolant(lambda t: P((3 * t + 5) / 8), -1, 1))


print(json.dumps({"ATAN_TAIL_NEAR": [float(v) for v in near()], "ATAN_TAIL_MID": [float(v) for v in mid()]}))
