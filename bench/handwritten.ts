/**
 * The hand-written baseline: for every catalog activation, the three loops a careful JavaScript
 * programmer would write by hand — forward, backward (gradIn = gradOut · f′) and fused — with the
 * kink conventions of the catalog. The formula is transcribed as written where that is sound in
 * float64 (1/(1 + e^-x) for sigmoid), and in its usual stable form where the transcription
 * overflows (softplus as max(x, 0) + log1p(e^-|x|), as any careful implementation writes it).
 * Loop-invariant parameter arithmetic is hoisted by hand.
 *
 * bench/run.ts imports this module once per element type (with a query string), so that each
 * copy of a loop only ever sees one kind of typed array, as actdiff's generated loops do.
 */
export type Arr = Float64Array | Float32Array;
export interface Loops {
  forward(x: Arr, out: Arr, ...params: number[]): void;
  backward(x: Arr, gradOut: Arr, gradIn: Arr, ...params: number[]): void;
  fused(x: Arr, gradOut: Arr, out: Arr, gradIn: Arr, ...params: number[]): void;
}

const sigmoid: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]!));
      gradIn[i] = gradOut[i]! * (s * (1 - s));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]!));
      out[i] = s;
      gradIn[i] = gradOut[i]! * (s * (1 - s));
    }
  },
};

const tanh: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]!);
      gradIn[i] = gradOut[i]! * (1 - t * t);
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]!);
      out[i] = t;
      gradIn[i] = gradOut[i]! * (1 - t * t);
    }
  },
};

const relu: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : 0;
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) gradIn[i] = x[i]! > 0 ? gradOut[i]! : 0;
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v > 0) {
        out[i] = v;
        gradIn[i] = g;
      } else {
        out[i] = 0;
        gradIn[i] = 0;
      }
    }
  },
};

/** x > 0 ? x : slope·x — leaky_relu, prelu and rrelu (whose slope is (lower + upper)/2). */
function leaky(slopeOf: (...params: number[]) => number): Loops {
  return {
    forward(x, out, ...params) {
      const slope = slopeOf(...params);
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : slope * v;
      }
    },
    backward(x, gradOut, gradIn, ...params) {
      const slope = slopeOf(...params);
      for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! * (x[i]! > 0 ? 1 : slope);
    },
    fused(x, gradOut, out, gradIn, ...params) {
      const slope = slopeOf(...params);
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        const g = gradOut[i]!;
        if (v > 0) {
          out[i] = v;
          gradIn[i] = g;
        } else {
          out[i] = slope * v;
          gradIn[i] = g * slope;
        }
      }
    },
  };
}

const relu6: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v <= 0 ? 0 : v >= 6 ? 6 : v;
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      gradIn[i] = v <= 0 || v >= 6 ? 0 : gradOut[i]!;
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v <= 0) {
        out[i] = 0;
        gradIn[i] = 0;
      } else if (v >= 6) {
        out[i] = 6;
        gradIn[i] = 0;
      } else {
        out[i] = v;
        gradIn[i] = g;
      }
    }
  },
};

const elu: Loops = {
  forward(x, out, alpha = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : alpha * (Math.exp(v) - 1);
    }
  },
  backward(x, gradOut, gradIn, alpha = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      gradIn[i] = gradOut[i]! * (v > 0 ? 1 : alpha * Math.exp(v));
    }
  },
  fused(x, gradOut, out, gradIn, alpha = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v > 0) {
        out[i] = v;
        gradIn[i] = g;
      } else {
        const e = Math.exp(v);
        out[i] = alpha * (e - 1);
        gradIn[i] = g * (alpha * e);
      }
    }
  },
};

const trelu: Loops = {
  forward(x, out, a = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v >= 0 ? v : a * Math.tanh(a * v);
    }
  },
  backward(x, gradOut, gradIn, a = 1) {
    const a2 = a * a;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) gradIn[i] = gradOut[i]!;
      else {
        const t = Math.tanh(a * v);
        gradIn[i] = gradOut[i]! * (a2 * (1 - t * t));
      }
    }
  },
  fused(x, gradOut, out, gradIn, a = 1) {
    const a2 = a * a;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v >= 0) {
        out[i] = v;
        gradIn[i] = g;
      } else {
        const t = Math.tanh(a * v);
        out[i] = a * t;
        gradIn[i] = g * (a2 * (1 - t * t));
      }
    }
  },
};

const softplus: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! / (1 + Math.exp(-x[i]!));
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      gradIn[i] = gradOut[i]! / (1 + Math.exp(-v));
    }
  },
};

const softsign: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v / (1 + Math.abs(v));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const d = 1 + Math.abs(x[i]!);
      gradIn[i] = gradOut[i]! / (d * d);
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const d = 1 + Math.abs(v);
      out[i] = v / d;
      gradIn[i] = gradOut[i]! / (d * d);
    }
  },
};

const reluSoftplus: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v >= 0 ? v : Math.log1p(Math.exp(v)) - Math.LN2;
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) gradIn[i] = gradOut[i]!;
      else {
        const e = Math.exp(v);
        gradIn[i] = gradOut[i]! * (e / (1 + e));
      }
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v >= 0) {
        out[i] = v;
        gradIn[i] = g;
      } else {
        const e = Math.exp(v);
        out[i] = Math.log1p(e) - Math.LN2;
        gradIn[i] = g * (e / (1 + e));
      }
    }
  },
};

const reluSoftsign: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v >= 0 ? v : v / (1 - v);
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) gradIn[i] = gradOut[i]!;
      else {
        const d = 1 - v;
        gradIn[i] = gradOut[i]! / (d * d);
      }
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const g = gradOut[i]!;
      if (v >= 0) {
        out[i] = v;
        gradIn[i] = g;
      } else {
        const d = 1 - v;
        out[i] = v / d;
        gradIn[i] = g / (d * d);
      }
    }
  },
};

const swish: Loops = {
  forward(x, out, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v / (1 + Math.exp(-beta * v));
    }
  },
  backward(x, gradOut, gradIn, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const s = 1 / (1 + Math.exp(-beta * v));
      gradIn[i] = gradOut[i]! * (s + beta * v * s * (1 - s));
    }
  },
  fused(x, gradOut, out, gradIn, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const s = 1 / (1 + Math.exp(-beta * v));
      out[i] = v * s;
      gradIn[i] = gradOut[i]! * (s + beta * v * s * (1 - s));
    }
  },
};

const silu: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v / (1 + Math.exp(-v));
    }
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const s = 1 / (1 + Math.exp(-v));
      gradIn[i] = gradOut[i]! * (s * (1 + v * (1 - s)));
    }
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const s = 1 / (1 + Math.exp(-v));
      out[i] = v * s;
      gradIn[i] = gradOut[i]! * (s * (1 + v * (1 - s)));
    }
  },
};

const xwish: Loops = {
  forward(x, out, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v * (Math.atan(beta * v) + Math.PI / 2) / Math.PI;
    }
  },
  backward(x, gradOut, gradIn, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const bv = beta * v;
      gradIn[i] = gradOut[i]! * ((Math.atan(bv) + Math.PI / 2) / Math.PI + bv / (Math.PI * (1 + bv * bv)));
    }
  },
  fused(x, gradOut, out, gradIn, beta = 1) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const bv = beta * v;
      const a = Math.atan(bv) + Math.PI / 2;
      out[i] = v * a / Math.PI;
      gradIn[i] = gradOut[i]! * (a / Math.PI + bv / (Math.PI * (1 + bv * bv)));
    }
  },
};

const absval: Loops = {
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!);
  },
  backward(x, gradOut, gradIn) {
    for (let i = 0; i < x.length; i++) gradIn[i] = gradOut[i]! * Math.sign(x[i]!);
  },
  fused(x, gradOut, out, gradIn) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = Math.abs(v);
      gradIn[i] = gradOut[i]! * Math.sign(v);
    }
  },
};

/** By catalog name; bnll is softplus under another name, each with its own copy of the loops. */
export const HANDWRITTEN: Record<string, Loops> = {
  sigmoid, tanh, relu,
  leaky_relu: leaky((slope = 0.01) => slope),
  prelu: leaky((weight = 0.25) => weight),
  rrelu: leaky((lower = 1 / 8, upper = 1 / 3) => (lower + upper) / 2),
  relu6, elu, trelu, softplus,
  bnll: { ...softplus },
  softsign,
  relu_softplus: reluSoftplus,
  relu_softsign: reluSoftsign,
  swish, silu, xwish, absval,
};
