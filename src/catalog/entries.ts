/**
 * The catalog: every activation of the seed documents as a one-line definition in the same
 * language users write. Kink conventions follow PyTorch where it has the function; they are
 * carried by the definition itself (`x > 0 ? x : 0` makes relu'(0) = 0, as torch.relu).
 */
export interface CatalogEntry {
  readonly name: string;
  readonly source: string;
  readonly summary: string;
  /** Where the formula and the parameter defaults come from. */
  readonly reference: string;
  /** The convention at each non-differentiable point, in words. */
  readonly kink?: string;
  readonly status: "available" | "planned";
  /** A builtin function with rules of its own; the definition documents it and is verified against it. */
  readonly builtin?: boolean;
  /**
   * The derivative as an outside source states it: independent data to verify ours against. A
   * function of several inputs states its gradient, one partial derivative per input.
   */
  readonly stated?: StatedDerivative;
}

export type StatedDerivative =
  | { readonly derivative: string; readonly reference: string }
  | { readonly gradient: Readonly<Record<string, string>>; readonly reference: string };

const available = (e: Omit<CatalogEntry, "status">): CatalogEntry => ({ ...e, status: "available" });

export const CATALOG: readonly CatalogEntry[] = [
  available({
    name: "sigmoid", source: "sigmoid(x) = 1 / (1 + exp(-x))", builtin: true,
    summary: "logistic function, range (0, 1)", reference: "survey eq. 1, 3; torch.sigmoid",
    stated: { derivative: "1 / (1 + exp(-x)) * (1 - 1 / (1 + exp(-x)))", reference: "survey eq. 35" },
  }),
  available({
    name: "tanh", source: "tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))", builtin: true,
    summary: "hyperbolic tangent, range (-1, 1)", reference: "survey eq. 2, 4; torch.tanh",
    stated: { derivative: "1 - (exp(x) - exp(-x)) / (exp(x) + exp(-x)) * (exp(x) - exp(-x)) / (exp(x) + exp(-x))", reference: "survey eq. 36" },
  }),
  available({
    name: "relu", source: "relu(x) = x > 0 ? x : 0",
    summary: "rectified linear unit", reference: "survey eq. 5, 37; torch.relu",
    kink: "relu'(0) = 0, as torch.relu (the gradient passes only where the output is positive).",
    stated: { derivative: "x >= 0 ? 1 : 0", reference: "survey eq. 37" },
  }),
  // The survey writes Y ~ N(0, σ(x)) and keeps x ≥ 0 ? x + Y : 0. That form is kept; σ is read
  // as a parameter sigma, the noise's standard deviation (normal(mean, sd), as torch.normal). In
  // Nair and Hinton 2010 (the survey's [16]; it cites [21], Gulcehre et al. 2016, for the RBMs)
  // the unit is max(0, x + N(0, σ(x))) with σ the logistic function and N(0, V) of variance V;
  // that form is written f(x) = max(0, x + sqrt(sigmoid(x)) * z) where z ~ normal(0, 1).
  available({
    name: "noisy_relu", source: "noisy_relu(x; sigma = 1) = x >= 0 ? x + y : 0 where y ~ normal(0, sigma)",
    summary: "ReLU plus Gaussian noise y ~ N(0, sigma²) where x >= 0; evaluation drops the noise (its mean is 0)",
    reference: "survey eq. 6, its x >= 0 form, σ read as the standard deviation sigma; Nair and Hinton 2010 (survey [16])",
    kink: "noisy_relu'(0) = 1: eq. 6 puts 0 in the branch x + y; given the draw y, noisy_relu'(x) is 1 for x >= 0 and 0 below.",
    stated: { derivative: "x >= 0 ? 1 : 0", reference: "survey eq. 37 (ReLU' in the x >= 0 form of eq. 5 and 6; the noise is added, so d/dx (x + y) = 1 given y)" },
  }),
  available({
    name: "leaky_relu", source: "leaky_relu(x; negative_slope = 0.01) = x > 0 ? x : negative_slope * x",
    summary: "ReLU with a small fixed slope for x < 0", reference: "survey eq. 7; torch.nn.functional.leaky_relu",
    kink: "leaky_relu'(0) = negative_slope, as torch (the negative branch includes 0).",
    stated: { derivative: "x > 0 ? 1 : negative_slope", reference: "PyTorch's leaky_relu_backward" },
  }),
  available({
    name: "prelu", source: "prelu(x; weight = 0.25) = x > 0 ? x : weight * x",
    summary: "ReLU with a learned slope for x < 0", reference: "survey eq. 8; torch.nn.PReLU (init 0.25)",
    kink: "prelu'(0) = weight, as torch.prelu.",
    stated: { derivative: "x > 0 ? 1 : weight", reference: "PyTorch's prelu backward" },
  }),
  // Training draws the slope a for each element (for x ≤ 0, as torch: `x > 0` keeps 0 in the
  // drawn branch); evaluation mode puts its mean (lower + upper)/2, torch's eval-mode slope.
  available({
    name: "rrelu", source: "rrelu(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)",
    summary: "randomized leaky ReLU: a slope a ~ U(lower, upper) drawn per element in training, (lower + upper)/2 in evaluation",
    reference: "survey eq. 9; torch.nn.RReLU (torch.nn.functional.rrelu, training and eval)",
    kink: "rrelu'(0) = (lower + upper)/2 in evaluation mode, as torch's eval-mode rrelu (a leaky_relu); in training rrelu'(x) = a, the drawn slope, for x <= 0, as torch's rrelu_with_noise_backward.",
    stated: { derivative: "x > 0 ? 1 : (lower + upper) / 2", reference: "PyTorch's rrelu backward in eval mode" },
  }),
  available({
    name: "relu6", source: "relu6(x) = { 0 if x <= 0, 6 if x >= 6, x otherwise }",
    summary: "ReLU capped at 6, min(max(0, x), 6)", reference: "survey eq. 10, 38; torch.nn.functional.relu6",
    kink: "relu6'(0) = relu6'(6) = 0, as torch.relu6 (hardtanh passes the gradient only strictly inside (0, 6)).",
    stated: { derivative: "{ 0 if x >= 6, 1 if x > 0, 0 otherwise }", reference: "survey eq. 38" },
  }),
  available({
    name: "elu", source: "elu(x; alpha = 1) = x > 0 ? x : alpha * (exp(x) - 1)",
    summary: "exponential linear unit", reference: "survey eq. 14, 15; torch.nn.functional.elu",
    kink: "elu'(0) = alpha, as torch.elu (the negative branch includes 0); continuous there only for alpha = 1.",
    stated: { derivative: "x >= 0 ? 1 : alpha * exp(x)", reference: "survey eq. 15 (eq. 40 is lost in the text)" },
  }),
  available({
    name: "trelu", source: "trelu(x; a = 1) = x >= 0 ? x : a * tanh(a * x)",
    summary: "ReLU with a tanh-saturating negative half", reference: "survey eq. 16, 17 (negative half a·tanh(a·x), as eq. 17 implies)",
    kink: "trelu'(0) = 1 (the survey's eq. 17 puts 0 in the positive branch); no PyTorch counterpart.",
    stated: { derivative: "x >= 0 ? 1 : a^2 * (1 - tanh(a * x)^2)", reference: "survey eq. 17, 41" },
  }),
  available({
    name: "softplus", source: "softplus(x) = log(1 + exp(x))", builtin: true,
    summary: "smooth ReLU, log(1 + e^x)", reference: "survey eq. 18, 19; torch.nn.functional.softplus (beta = 1)",
    stated: { derivative: "exp(x) / (1 + exp(x))", reference: "survey eq. 19" },
  }),
  available({
    name: "bnll", source: "bnll(x) = log(1 + exp(x))",
    summary: "binomial normal log likelihood (Caffe's BNLL layer), the same function as softplus", reference: "seed 000 (Caffe's activation table)",
    stated: { derivative: "exp(x) / (exp(x) + 1)", reference: "Caffe's BNLL backward" },
  }),
  available({
    name: "softsign", source: "softsign(x) = x / (1 + abs(x))",
    summary: "x/(1 + |x|), range (-1, 1)", reference: "survey eq. 20, 21; torch.nn.functional.softsign",
    kink: "smooth at 0 (C¹): softsign'(0) = 1 from both sides.",
    stated: { derivative: "x >= 0 ? 1 / (1 + x)^2 : 1 / (1 - x)^2", reference: "survey eq. 21" },
  }),
  available({
    name: "relu_softplus", source: "relu_softplus(x) = x >= 0 ? x : log(1 + exp(x)) - log(2)",
    summary: "ReLU for x >= 0, softplus shifted by ln 2 for x < 0", reference: "survey eq. 22, 23",
    kink: "relu_softplus'(0) = 1 (the survey's convention); continuous at 0, the derivative jumps from 1/2 to 1.",
    stated: { derivative: "x >= 0 ? 1 : exp(x) / (1 + exp(x))", reference: "survey eq. 23, 42" },
  }),
  available({
    name: "relu_softsign", source: "relu_softsign(x) = x >= 0 ? x : x / (1 - x)",
    summary: "ReLU for x >= 0, softsign for x < 0", reference: "survey eq. 24, 25",
    kink: "relu_softsign'(0) = 1; C¹ at 0.",
    stated: { derivative: "x >= 0 ? 1 : 1 / (1 - x)^2", reference: "survey eq. 25, 43" },
  }),
  available({
    name: "swish", source: "swish(x; beta = 1) = x * sigmoid(beta * x)",
    summary: "x·σ(βx); silu for β = 1", reference: "survey eq. 11",
    stated: { derivative: "beta * swish(x; beta) + sigmoid(beta * x) * (1 - beta * swish(x; beta))", reference: "Ramachandran et al. 2017 (the Swish paper)" },
  }),
  available({
    name: "silu", source: "silu(x) = x * sigmoid(x)",
    summary: "sigmoid linear unit, swish with β = 1", reference: "torch.nn.functional.silu; seed 001 (Swish)",
    stated: { derivative: "sigmoid(x) * (1 + x * (1 - sigmoid(x)))", reference: "PyTorch's silu_backward" },
  }),
  available({
    name: "xwish", source: "xwish(x; beta = 1) = x * (atan(beta * x) + pi / 2) / pi",
    summary: "x·(arctan(βx) + π/2)/π", reference: "survey eq. 12, 13, 39",
    stated: { derivative: "(atan(beta * x) + 0.5 * pi) / pi + beta * x / (pi * (1 + (beta * x)^2))", reference: "survey eq. 13, 39" },
  }),
  available({
    name: "absval", source: "absval(x) = abs(x)",
    summary: "absolute value (Caffe's AbsVal layer)", reference: "seed 000 (Caffe's activation table); torch.abs",
    kink: "absval'(0) = 0, as torch.abs.",
    stated: { derivative: "sign(x)", reference: "Caffe's AbsVal backward" },
  }),
  available({
    name: "glu", source: "glu(a, b) = a * sigmoid(b)",
    summary: "gated linear unit: a gated by σ(b); torch's glu splits one tensor into the halves a and b",
    reference: "Dauphin et al. 2017 (Language Modeling with Gated Convolutional Networks); torch.nn.functional.glu",
    stated: { gradient: { a: "sigmoid(b)", b: "a * sigmoid(b) * (1 - sigmoid(b))" }, reference: "PyTorch's glu_backward" },
  }),
  available({
    name: "swiglu", source: "swiglu(a, b) = silu(a) * b",
    summary: "SiLU-gated linear unit, the transformer feed-forward gate silu(a)·b",
    reference: "Shazeer 2020 (GLU Variants Improve Transformer), FFN_SwiGLU with Swish₁ = silu",
    stated: {
      gradient: { a: "b * sigmoid(a) * (1 + a * (1 - sigmoid(a)))", b: "a * sigmoid(a)" },
      reference: "PyTorch's silu_backward, times b (product rule)",
    },
  }),
  available({
    name: "geglu", source: "geglu(a, b) = a * (1 + erf(a / sqrt(2))) / 2 * b",
    summary: "GELU-gated linear unit gelu(a)·b, gelu in its exact erf form",
    reference: "Shazeer 2020 (GLU Variants Improve Transformer), FFN_GEGLU; torch.nn.functional.gelu",
    stated: {
      gradient: {
        a: "b * ((1 + erf(a / sqrt(2))) / 2 + a * exp(-a^2 / 2) / sqrt(2 * pi))",
        b: "a * (1 + erf(a / sqrt(2))) / 2",
      },
      reference: "PyTorch's gelu_backward (approximate = 'none'), times b (product rule)",
    },
  }),
  available({
    name: "softmax", source: "softmax(x[]) = exp(x) / sum(exp(x))", builtin: true,
    summary: "normalised exponential over a vector: positive, sums to 1, invariant to adding a constant",
    reference: "seed 001, 002; torch.softmax(x, dim=-1)",
    stated: { derivative: "softmax(x)_i * (delta(i, j) - softmax(x)_j)", reference: "seed 002 (D_j S_i = S_i(δ_ij − S_j))" },
  }),
  available({
    name: "log_softmax", source: "log_softmax(x[]) = x - logsumexp(x)",
    summary: "log of softmax, computed without forming softmax: x_i − logsumexp(x)",
    reference: "torch.log_softmax(x, dim=-1)",
    stated: { derivative: "delta(i, j) - exp(x_j) / sum(exp(x))", reference: "PyTorch's log_softmax backward (grad − exp(output)·Σ grad)" },
  }),
  available({
    name: "softmin", source: "softmin(x[]) = softmax(-x)",
    summary: "softmax of −x: weights the smallest elements most",
    reference: "torch.nn.functional.softmin(x, dim=-1)",
    stated: { derivative: "exp(-x_i) / sum(exp(-x)) * (exp(-x_j) / sum(exp(-x)) - delta(i, j))", reference: "softmax's Jacobian at −x, times −1 (chain rule)" },
  }),
  available({
    name: "logsumexp", source: "logsumexp(x[]) = log(sum(exp(x)))", builtin: true,
    summary: "log Σ exp(x_k), the smooth maximum; its gradient is softmax",
    reference: "torch.logsumexp(x, dim=-1)",
    stated: { derivative: "exp(x_j) / sum(exp(x))", reference: "PyTorch's logsumexp backward (grad · exp(x − result))" },
  }),
  available({
    name: "maxout", source: "maxout(z[]; k = 2) = groupmax(z, k)",
    summary: "the maximum of each group of k consecutive units; only the largest unit of a group gets a gradient",
    reference: "survey §1.5; seed 002 (4 units, 2 groups of 2, 2 outputs); Goodfellow et al. 2013",
    kink: "at a tie the first maximal unit of the group gets the whole gradient, as torch.max(dim)'s backward.",
    stated: {
      derivative: "delta(j, k * i + argmax(z[k * i + t], t, 0, k))",
      reference: "seed 002 (the gradient goes only to the unit that attains the group's max)",
    },
  }),
];
