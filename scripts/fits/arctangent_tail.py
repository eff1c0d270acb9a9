"""The function both fits are of: (atan(√s) − √s/(1 + s))/s^(3/2), at the working precision."""
import mpmath as mp


def tail_ratio(s):
    """Σₖ (−1)ᵏ (2k + 2)/(2k + 3) sᵏ for 0 ≤ s ≤ 1: its limit 2/3 at s = 0."""
    if s == 0:
        return mp.mpf(2) / 3
    r = mp.sqrt(s)
    return (mp.atan(r) - r / (1 + s)) / r**3
