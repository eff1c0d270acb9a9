"""
An independent high-precision scan of functions of one variable, for the property-sheet
differential test (test/analyze/differential.test.ts). It shares nothing with actdiff: each
function arrives as a Python expression in x over the names defined below, is evaluated with
mpmath at 40 significant digits, and its one-sided derivatives are difference quotients with a
step of 1e-20 (exact to about 1e-19 where f is smooth on that side, and one-sided at a kink).

stdin: [{"id", "expr", "points": [decimal strings], "deriv": [decimal strings], "edges": [numbers]}]
stdout: {id: {"f": [...], "dl": [...], "dr": [...], "mean", "rms"}}, numbers as strings of 30
significant digits, "nan" where f is undefined, "inf" / "-inf" where infinite.
"""
import json
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 40
H = mpf(10) ** -20


def real(v):
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > mpf(10) ** -30 * max(1, abs(v.real)):
            raise ValueError("complex")
        return v.real
    return mpf(v)


def sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


def softplus(u):
    return mpmath.log1p(mpmath.exp(u)) if u < 50 else u + mpmath.log1p(mpmath.exp(-u))


def sign(u):
    return mpf(0) if u == 0 else mpf(1) if u > 0 else mpf(-1)


def clip(u, lo, hi):
    return lo if u < lo else hi if u > hi else u


def log(u):
    if u <= 0:
        raise ValueError("log of a non-positive number")
    return mpmath.log(u)


def sqrt(u):
    if u < 0:
        raise ValueError("sqrt of a negative number")
    return mpmath.sqrt(u)


def power(b, e):
    return real(mpmath.power(b, e))


NAMES = {
    "mpf": mpf, "pi": mp.pi, "E": mp.e, "exp": mpmath.exp, "log": log, "log1p": lambda u: log(1 + u),
    "expm1": mpmath.expm1, "sqrt": sqrt, "abs": abs, "sign": sign, "min": min, "max": max, "clip": clip,
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "atan": mpmath.atan, "sinh": mpmath.sinh,
    "cosh": mpmath.cosh, "tanh": mpmath.tanh, "erf": mpmath.erf, "sigmoid": sigmoid, "softplus": softplus,
    "Phi": mpmath.ncdf, "phi": mpmath.npdf, "floor": mpmath.floor, "power": power,
}


def text(v):
    if v is None:
        return "nan"
    if mpmath.isinf(v):
        return "inf" if v > 0 else "-inf"
    if mpmath.isnan(v):
        return "nan"
    return mpmath.nstr(v, 30, min_fixed=-5, max_fixed=5)


def scan(job):
    f = eval("lambda x: " + job["expr"], NAMES)  # the test's own formulas, never user input

    memo = {}

    def at(x):
        k = (x, mp.prec)
        if k not in memo:
            try:
                memo[k] = real(f(x))
            except (ValueError, ZeroDivisionError, OverflowError):
                memo[k] = None
        return memo[k]

    def one_sided(x, side):
        fx = at(x)
        fh = at(x + side * H)
        if fx is None or fh is None or mpmath.isinf(fx) or mpmath.isinf(fh):
            return None
        if fh == fx and abs(x) <= 10:
            # f′ below 40 digits of f (erf′(−10) ~ 1e-44; 1 + tanh(−u) cancels): look again with
            # 400 digits, on [−10, 10] where the test looks for dead zones.
            with mp.workdps(400):
                fx, fh = at(x), at(x + side * H)
        return (fh - fx) / (side * H)

    points = [mpf(p) for p in job["points"]]
    deriv = [mpf(p) for p in job["deriv"]]
    out = {
        "f": [text(at(x)) for x in points],
        "dl": [text(one_sided(x, -1)) for x in deriv],
        "dr": [text(one_sided(x, 1)) for x in deriv],
    }
    # E f(Z), E f(Z)² for Z ~ N(0, 1): Gauss-Legendre on [-12, 12] split at the breakpoints.
    # Split at every integer too, so that a narrow bump or a sharp step is not stepped over.
    cuts = sorted(set([mpf(k) for k in range(-12, 13)] + [mpf(e) for e in job["edges"] if -12 < e < 12]))
    edges = cuts
    mp.dps = 15
    try:
        mean = mpmath.quad(lambda z: at(z) * mpmath.npdf(z), edges)
        square = mpmath.quad(lambda z: at(z) ** 2 * mpmath.npdf(z), edges)
        out["mean"] = text(mean)
        out["rms"] = text(mpmath.sqrt(square))
    except TypeError:
        out["mean"] = out["rms"] = "nan"
    mp.dps = 40
    return out


jobs = json.load(sys.stdin)
print(json.dumps({job["id"]: scan(job) for job in jobs}))
