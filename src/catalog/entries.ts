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
  /** The group `actdiff list` and the docs site put it in. */
  readonly group: CatalogGroup;
  /** Where the definition (formula and parameter defaults) comes from. */
  readonly definedBy: Origin;
  /** Where the convention at its non-differentiable points comes from; absent for a smooth function. */
  readonly kinkBy?: Origin;
  /**
   * The same function in PyTorch, a Python expression in the inputs (x; a and b; x a 1-d tensor for
   * functions of a vector) and the parameters by name, with `F` = torch.nn.functional: the function
   * torch has where it has one (test/oracles compare f and f′ with its forward and autograd).
   */
  readonly torch: string;
  /** Where actdiff's function differs from torch's (values, conventions, accuracy), in words. */
  readonly torchDiffers?: string;
  /** Other spellings of the name: torch's module class, the paper's (`SiLU`, `GELU`). */
  readonly aliases?: readonly string[];
}

/** The groups of `actdiff list` and of the docs site, in their order. */
export const CATALOG_GROUPS = ["sigmoid-like", "relu-family", "smooth-relu", "gate", "vector"] as const;
export type CatalogGroup = (typeof CATALOG_GROUPS)[number];

/** What each group is, for the listing and the docs. */
export const GROUP_TITLES: Readonly<Record<CatalogGroup, string>> = {
  "sigmoid-like": "Sigmoid-like: bounded, S-shaped or saturating",
  "relu-family": "ReLU family: piecewise, linear or exponential pieces",
  "smooth-relu": "Smooth ReLUs: smooth functions that approach ReLU",
  gate: "Gates: a value times a gate, functions of two inputs",
  vector: "Functions of a vector",
};

/** seed: the seed documents (the survey, Caffe's table); pytorch: torch's function; paper: the paper named in `reference`. */
export type Origin = "seed" | "pytorch" | "paper";

export type StatedDerivative =
  | { readonly derivative: string; readonly reference: string }
  | { readonly gradient: Readonly<Record<string, string>>; readonly reference: string };

const available = (e: Omit<CatalogEntry, "status">): CatalogEntry => ({ ...e, status: "available" });

export const CATALOG: readonly CatalogEntry[] = [
  available({
    name: "sigmoid", source: "sigmoid(x) = 1 / (1 + exp(-x))", builtin: true,
    group: "sigmoid-like", definedBy: "seed", torch: "torch.sigmoid(x)", aliases: ["Sigmoid", "logistic"],
    torchDiffers: "torch's backward σ(x)(1 − σ(x)) rounds to 0 below x ≈ −745 and loses digits above x ≈ 37; actdiff's σ(x)σ(−x) keeps them.",
    summary: "logistic function, range (0, 1)", reference: "survey eq. 1, 3; torch.sigmoid",
    stated: { derivative: "1 / (1 + exp(-x)) * (1 - 1 / (1 + exp(-x)))", reference: "survey eq. 35" },
  }),
  available({
    name: "tanh", source: "tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))", builtin: true,
    group: "sigmoid-like", definedBy: "seed", torch: "torch.tanh(x)", aliases: ["Tanh"],
    torchDiffers: "torch's backward 1 − tanh²(x) is exactly 0 from |x| ≈ 19.1 on, where the truth is ≈ 4e^(−2|x|); actdiff keeps it.",
    summary: "hyperbolic tangent, range (-1, 1)", reference: "survey eq. 2, 4; torch.tanh",
    stated: { derivative: "1 - (exp(x) - exp(-x)) / (exp(x) + exp(-x)) * (exp(x) - exp(-x)) / (exp(x) + exp(-x))", reference: "survey eq. 36" },
  }),
  available({
    name: "relu", source: "relu(x) = x > 0 ? x : 0",
    group: "relu-family", definedBy: "seed", kinkBy: "pytorch", torch: "torch.relu(x)", aliases: ["ReLU"],
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
    group: "relu-family", definedBy: "seed", kinkBy: "seed", torch: "torch.where(x >= 0, x, torch.zeros_like(x))",
    torchDiffers: "torch has no noisy ReLU; the comparison is with the noise-free evaluation form in torch operations.",
    summary: "ReLU plus Gaussian noise y ~ N(0, sigma²) where x >= 0; evaluation drops the noise (its mean is 0)",
    reference: "survey eq. 6, its x >= 0 form, σ read as the standard deviation sigma; Nair and Hinton 2010 (survey [16])",
    kink: "noisy_relu'(0) = 1: eq. 6 puts 0 in the branch x + y; given the draw y, noisy_relu'(x) is 1 for x >= 0 and 0 below.",
    stated: { derivative: "x >= 0 ? 1 : 0", reference: "survey eq. 37 (ReLU' in the x >= 0 form of eq. 5 and 6; the noise is added, so d/dx (x + y) = 1 given y)" },
  }),
  available({
    name: "leaky_relu", source: "leaky_relu(x; negative_slope = 0.01) = x > 0 ? x : negative_slope * x",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.leaky_relu(x, negative_slope)", aliases: ["LeakyReLU", "LReLU"],
    summary: "ReLU with a small fixed slope for x < 0", reference: "survey eq. 7; torch.nn.functional.leaky_relu",
    kink: "leaky_relu'(0) = negative_slope, as torch (the negative branch includes 0).",
    stated: { derivative: "x > 0 ? 1 : negative_slope", reference: "PyTorch's leaky_relu_backward" },
  }),
  available({
    name: "prelu", source: "prelu(x; weight = 0.25) = x > 0 ? x : weight * x",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.prelu(x, torch.tensor([weight]))", aliases: ["PReLU"],
    summary: "ReLU with a learned slope for x < 0", reference: "survey eq. 8; torch.nn.PReLU (init 0.25)",
    kink: "prelu'(0) = weight, as torch.prelu.",
    stated: { derivative: "x > 0 ? 1 : weight", reference: "PyTorch's prelu backward" },
  }),
  // Training draws the slope a for each element (for x ≤ 0, as torch: `x > 0` keeps 0 in the
  // drawn branch); evaluation mode puts its mean (lower + upper)/2, torch's eval-mode slope.
  available({
    name: "rrelu", source: "rrelu(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.rrelu(x, lower, upper, training=False)", aliases: ["RReLU"],
    summary: "randomized leaky ReLU: a slope a ~ U(lower, upper) drawn per element in training, (lower + upper)/2 in evaluation",
    reference: "survey eq. 9; torch.nn.RReLU (torch.nn.functional.rrelu, training and eval)",
    kink: "rrelu'(0) = (lower + upper)/2 in evaluation mode, as torch's eval-mode rrelu (a leaky_relu); in training rrelu'(x) = a, the drawn slope, for x <= 0, as torch's rrelu_with_noise_backward.",
    stated: { derivative: "x > 0 ? 1 : (lower + upper) / 2", reference: "PyTorch's rrelu backward in eval mode" },
  }),
  available({
    name: "relu6", source: "relu6(x) = { 0 if x <= 0, 6 if x >= 6, x otherwise }",
    group: "relu-family", definedBy: "seed", kinkBy: "pytorch", torch: "F.relu6(x)", aliases: ["ReLU6"],
    summary: "ReLU capped at 6, min(max(0, x), 6)", reference: "survey eq. 10, 38; torch.nn.functional.relu6",
    kink: "relu6'(0) = relu6'(6) = 0, as torch.relu6 (hardtanh passes the gradient only strictly inside (0, 6)).",
    stated: { derivative: "{ 0 if x >= 6, 1 if x > 0, 0 otherwise }", reference: "survey eq. 38" },
  }),
  available({
    name: "elu", source: "elu(x; alpha = 1) = x > 0 ? x : alpha * (exp(x) - 1)",
    group: "relu-family", definedBy: "seed", kinkBy: "pytorch", torch: "F.elu(x, alpha)", aliases: ["ELU"],
    summary: "exponential linear unit", reference: "survey eq. 14, 15; torch.nn.functional.elu",
    kink: "elu'(0) = alpha, as torch.elu (the negative branch includes 0); continuous there only for alpha = 1.",
    stated: { derivative: "x >= 0 ? 1 : alpha * exp(x)", reference: "survey eq. 15 (eq. 40 is lost in the text)" },
  }),
  available({
    name: "trelu", source: "trelu(x; a = 1) = x >= 0 ? x : a * tanh(a * x)",
    group: "relu-family", definedBy: "seed", kinkBy: "seed", torch: "torch.where(x >= 0, x, a * torch.tanh(a * x))", aliases: ["TReLU"],
    torchDiffers: "torch has no trelu; the comparison is with the definition in torch operations.",
    summary: "ReLU with a tanh-saturating negative half", reference: "survey eq. 16, 17 (negative half a·tanh(a·x), as eq. 17 implies)",
    kink: "trelu'(0) = 1 (the survey's eq. 17 puts 0 in the positive branch); no PyTorch counterpart.",
    stated: { derivative: "x >= 0 ? 1 : a^2 * (1 - tanh(a * x)^2)", reference: "survey eq. 17, 41" },
  }),
  // beta and threshold are parameters of the builtin: softplus(x; beta = 2), and with threshold
  // (none by default: no switch) softplus(x; beta = 1, threshold = 20) is torch's F.softplus
  // exactly, switch and kink included. The definition here is the builtin's at beta = 1: a
  // documented builtin's page is read back by the document checker, whose softplus(x) is the builtin's.
  available({
    name: "softplus", source: "softplus(x) = log(1 + exp(x))", builtin: true,
    group: "smooth-relu", definedBy: "seed", kinkBy: "pytorch", torch: "F.softplus(x)", aliases: ["Softplus"],
    torchDiffers: "torch.nn.functional.softplus has threshold = 20 by default and returns x (and the gradient 1) where beta·x > threshold, " +
      "off by log1p(e^−βx)/β ≈ 2e−9 at βx = 20; actdiff's threshold is none by default, so its softplus is exact everywhere. " +
      "softplus(x; beta = 1, threshold = 20) is torch's function, switch included.",
    summary: "smooth ReLU log(1 + e^x); softplus(x; beta, threshold) is torch's log(1 + e^(beta·x))/beta, switching to x where beta·x > threshold (none by default)",
    reference: "survey eq. 18, 19; torch.nn.functional.softplus(x, beta = 1, threshold) for the parameters",
    kink: "smooth without threshold; with one, softplus'(x) at beta·x = threshold is sigmoid(threshold) (the smooth branch), as torch's softplus_backward, which also tests beta·x > threshold.",
    stated: { derivative: "exp(x) / (1 + exp(x))", reference: "survey eq. 19" },
  }),
  available({
    name: "bnll", source: "bnll(x) = log(1 + exp(x))",
    group: "smooth-relu", definedBy: "seed", torch: "F.softplus(x)", aliases: ["BNLL"],
    torchDiffers: "torch's softplus switches to x above 20 (see softplus); actdiff's bnll is exact.",
    summary: "binomial normal log likelihood (Caffe's BNLL layer), the same function as softplus", reference: "seed 000 (Caffe's activation table)",
    stated: { derivative: "exp(x) / (exp(x) + 1)", reference: "Caffe's BNLL backward" },
  }),
  available({
    name: "softsign", source: "softsign(x) = x / (1 + abs(x))",
    group: "sigmoid-like", definedBy: "seed", kinkBy: "seed", torch: "F.softsign(x)", aliases: ["Softsign"],
    summary: "x/(1 + |x|), range (-1, 1)", reference: "survey eq. 20, 21; torch.nn.functional.softsign",
    kink: "smooth at 0 (C¹): softsign'(0) = 1 from both sides.",
    stated: { derivative: "x >= 0 ? 1 / (1 + x)^2 : 1 / (1 - x)^2", reference: "survey eq. 21" },
  }),
  available({
    name: "relu_softplus", source: "relu_softplus(x) = x >= 0 ? x : log(1 + exp(x)) - log(2)",
    group: "relu-family", definedBy: "seed", kinkBy: "seed", torch: "torch.where(x >= 0, x, F.softplus(x) - math.log(2))",
    torchDiffers: "torch has no relu_softplus; the comparison is with the definition in torch operations.",
    summary: "ReLU for x >= 0, softplus shifted by ln 2 for x < 0", reference: "survey eq. 22, 23",
    kink: "relu_softplus'(0) = 1 (the survey's convention); continuous at 0, the derivative jumps from 1/2 to 1.",
    stated: { derivative: "x >= 0 ? 1 : exp(x) / (1 + exp(x))", reference: "survey eq. 23, 42" },
  }),
  available({
    name: "relu_softsign", source: "relu_softsign(x) = x >= 0 ? x : x / (1 - x)",
    group: "relu-family", definedBy: "seed", kinkBy: "seed", torch: "torch.where(x >= 0, x, x / (1 - torch.clamp(x, max=0)))",
    torchDiffers: "torch has no relu_softsign; the comparison is with the definition in torch operations.",
    summary: "ReLU for x >= 0, softsign for x < 0", reference: "survey eq. 24, 25",
    kink: "relu_softsign'(0) = 1; C¹ at 0.",
    stated: { derivative: "x >= 0 ? 1 : 1 / (1 - x)^2", reference: "survey eq. 25, 43" },
  }),
  available({
    name: "swish", source: "swish(x; beta = 1) = x * sigmoid(beta * x)",
    group: "smooth-relu", definedBy: "seed", torch: "x * torch.sigmoid(beta * x)", aliases: ["Swish"],
    torchDiffers: "torch has swish only at beta = 1, as F.silu; the comparison is with x * torch.sigmoid(beta * x).",
    summary: "x·σ(βx); silu for β = 1", reference: "survey eq. 11",
    stated: { derivative: "beta * swish(x; beta) + sigmoid(beta * x) * (1 - beta * swish(x; beta))", reference: "Ramachandran et al. 2017 (the Swish paper)" },
  }),
  available({
    name: "silu", source: "silu(x) = x * sigmoid(x)",
    group: "smooth-relu", definedBy: "pytorch", torch: "F.silu(x)", aliases: ["SiLU", "swish1"],
    summary: "sigmoid linear unit, swish with β = 1", reference: "torch.nn.functional.silu; seed 001 (Swish)",
    stated: { derivative: "sigmoid(x) * (1 + x * (1 - sigmoid(x)))", reference: "PyTorch's silu_backward" },
  }),
  available({
    name: "xwish", source: "xwish(x; beta = 1) = x * (atan(beta * x) + pi / 2) / pi",
    group: "smooth-relu", definedBy: "seed", torch: "x * (torch.atan(beta * x) + math.pi / 2) / math.pi",
    torchDiffers: "torch has no xwish; the comparison is with the definition in torch operations.",
    summary: "x·(arctan(βx) + π/2)/π", reference: "survey eq. 12, 13, 39",
    stated: { derivative: "(atan(beta * x) + 0.5 * pi) / pi + beta * x / (pi * (1 + (beta * x)^2))", reference: "survey eq. 13, 39" },
  }),
  available({
    name: "absval", source: "absval(x) = abs(x)",
    group: "relu-family", definedBy: "seed", kinkBy: "pytorch", torch: "torch.abs(x)", aliases: ["AbsVal"],
    summary: "absolute value (Caffe's AbsVal layer)", reference: "seed 000 (Caffe's activation table); torch.abs",
    kink: "absval'(0) = 0, as torch.abs.",
    stated: { derivative: "sign(x)", reference: "Caffe's AbsVal backward" },
  }),
  available({
    name: "glu", source: "glu(a, b) = a * sigmoid(b)",
    group: "gate", definedBy: "pytorch", torch: "F.glu(torch.cat([a, b], dim=-1), dim=-1)", aliases: ["GLU"],
    summary: "gated linear unit: a gated by σ(b); torch's glu splits one tensor into the halves a and b",
    reference: "Dauphin et al. 2017 (Language Modeling with Gated Convolutional Networks); torch.nn.functional.glu",
    stated: { gradient: { a: "sigmoid(b)", b: "a * sigmoid(b) * (1 - sigmoid(b))" }, reference: "PyTorch's glu_backward" },
  }),
  available({
    name: "swiglu", source: "swiglu(a, b) = silu(a) * b",
    group: "gate", definedBy: "paper", torch: "F.silu(a) * b", aliases: ["SwiGLU"],
    summary: "SiLU-gated linear unit, the transformer feed-forward gate silu(a)·b",
    reference: "Shazeer 2020 (GLU Variants Improve Transformer), FFN_SwiGLU with Swish₁ = silu",
    stated: {
      gradient: { a: "b * sigmoid(a) * (1 + a * (1 - sigmoid(a)))", b: "a * sigmoid(a)" },
      reference: "PyTorch's silu_backward, times b (product rule)",
    },
  }),
  available({
    name: "geglu", source: "geglu(a, b) = a * (1 + erf(a / sqrt(2))) / 2 * b",
    group: "gate", definedBy: "paper", torch: "F.gelu(a) * b", aliases: ["GEGLU"],
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
    group: "vector", definedBy: "seed", torch: "torch.softmax(x, dim=-1)", aliases: ["Softmax"],
    summary: "normalised exponential over a vector: positive, sums to 1, invariant to adding a constant",
    reference: "seed 001, 002; torch.softmax(x, dim=-1)",
    stated: { derivative: "softmax(x)_i * (delta(i, j) - softmax(x)_j)", reference: "seed 002 (D_j S_i = S_i(δ_ij − S_j))" },
  }),
  available({
    name: "log_softmax", source: "log_softmax(x[]) = x - logsumexp(x)",
    group: "vector", definedBy: "pytorch", torch: "torch.log_softmax(x, dim=-1)", aliases: ["LogSoftmax"],
    summary: "log of softmax, computed without forming softmax: x_i − logsumexp(x)",
    reference: "torch.log_softmax(x, dim=-1)",
    stated: { derivative: "delta(i, j) - exp(x_j) / sum(exp(x))", reference: "PyTorch's log_softmax backward (grad − exp(output)·Σ grad)" },
  }),
  available({
    name: "softmin", source: "softmin(x[]) = softmax(-x)",
    group: "vector", definedBy: "pytorch", torch: "F.softmin(x, dim=-1)", aliases: ["Softmin"],
    summary: "softmax of −x: weights the smallest elements most",
    reference: "torch.nn.functional.softmin(x, dim=-1)",
    stated: { derivative: "exp(-x_i) / sum(exp(-x)) * (exp(-x_j) / sum(exp(-x)) - delta(i, j))", reference: "softmax's Jacobian at −x, times −1 (chain rule)" },
  }),
  available({
    name: "logsumexp", source: "logsumexp(x[]) = log(sum(exp(x)))", builtin: true,
    group: "vector", definedBy: "pytorch", torch: "torch.logsumexp(x, dim=-1)", aliases: ["LogSumExp"],
    summary: "log Σ exp(x_k), the smooth maximum; its gradient is softmax",
    reference: "torch.logsumexp(x, dim=-1)",
    stated: { derivative: "exp(x_j) / sum(exp(x))", reference: "PyTorch's logsumexp backward (grad · exp(x − result))" },
  }),
  available({
    name: "maxout", source: "maxout(z[]; k = 2) = groupmax(z, k)",
    group: "vector", definedBy: "seed", kinkBy: "pytorch", torch: "x.reshape(-1, k).max(dim=-1).values", aliases: ["Maxout"],
    summary: "the maximum of each group of k consecutive units; only the largest unit of a group gets a gradient",
    reference: "survey §1.5; seed 002 (4 units, 2 groups of 2, 2 outputs); Goodfellow et al. 2013",
    kink: "at a tie the first maximal unit of the group gets the whole gradient, as torch.max(dim)'s backward.",
    stated: {
      derivative: "delta(j, k * i + argmax(z[k * i + t], t, 0, k))",
      reference: "seed 002 (the gradient goes only to the unit that attains the group's max)",
    },
  }),
  // PyTorch's activations (torch.nn.functional), with torch's parameter names and defaults. Each
  // kink convention is torch's backward, read from its kernels and checked against torch itself
  // (test/oracles/catalog.test.ts).
  available({
    name: "selu", source: "selu(x; alpha = 1.6732632423543772, scale = 1.0507009873554805) = x > 0 ? scale * x : scale * alpha * (exp(x) - 1)",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.selu(x)", aliases: ["SELU"],
    summary: "scaled ELU, self-normalising: scale·x for x > 0, scale·alpha·(eˣ − 1) below",
    reference: "Klambauer et al. 2017 (Self-Normalizing Neural Networks); torch.nn.functional.selu (its constants as float64)",
    kink: "selu'(0) = scale·alpha, as torch.selu (elu_backward puts 0 in the negative branch).",
    stated: { derivative: "x > 0 ? scale : scale * alpha * exp(x)", reference: "PyTorch's elu_backward (poscoef = scale, negcoef = alpha·scale)" },
    torchDiffers: "torch.nn.functional.selu takes no parameters: its alpha and scale are these defaults; here they may be changed.",
  }),
  available({
    name: "celu", source: "celu(x; alpha = 1) = x > 0 ? x : alpha * (exp(x / alpha) - 1)",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.celu(x, alpha)", aliases: ["CELU"],
    summary: "continuously differentiable ELU: x for x > 0, alpha·(e^(x/alpha) − 1) below",
    reference: "Barron 2017 (Continuously Differentiable Exponential Linear Units); torch.nn.functional.celu",
    kink: "celu'(0) = 1 from both sides for every alpha (C¹); the negative branch includes 0, as torch.",
    stated: { derivative: "x > 0 ? 1 : exp(x / alpha)", reference: "PyTorch's elu_backward (input_scale = 1/alpha)" },
  }),
  available({
    name: "gelu", source: "gelu(x) = x * Phi(x)",
    group: "smooth-relu", definedBy: "pytorch", torch: "F.gelu(x)", aliases: ["GELU"],
    summary: "Gaussian error linear unit x·Φ(x), Φ the standard normal cdf (torch's approximate = 'none')",
    reference: "Hendrycks and Gimpel 2016 (Gaussian Error Linear Units); torch.nn.functional.gelu(x, approximate='none')",
    stated: { derivative: "Phi(x) + x * exp(-x^2 / 2) / sqrt(2 * pi)", reference: "PyTorch's gelu_backward (approximate = 'none': cdf + x·pdf)" },
    torchDiffers: "torch computes Φ as (1 + erf(x/√2))/2, which is 0 below x ≈ −8.3 and loses digits from x ≈ −3 down; actdiff's Φ (erfc) keeps them. " +
      "torch's approximate = 'tanh' is the separate entry gelu_tanh.",
  }),
  available({
    name: "gelu_tanh", source: "gelu_tanh(x) = x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) / 2",
    group: "smooth-relu", definedBy: "pytorch", torch: "F.gelu(x, approximate='tanh')", aliases: ["gelu_new", "gelu_pytorch_tanh"],
    summary: "GELU's tanh approximation, torch's gelu(approximate = 'tanh')",
    reference: "Hendrycks and Gimpel 2016, §2; torch.nn.functional.gelu(x, approximate='tanh')",
    stated: {
      derivative: "(1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) / 2 + x / 2 * (1 - tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))^2) * sqrt(2 / pi) * (1 + 3 * 0.044715 * x^2)",
      reference: "PyTorch's gelu_backward (approximate = 'tanh')",
    },
    torchDiffers: "torch's 1 + tanh(u) is 0 below x ≈ −9 where the truth is ≈ 2e^(2u); actdiff computes it as 2σ(2u).",
  }),
  available({
    name: "mish", source: "mish(x) = x * tanh(softplus(x))",
    group: "smooth-relu", definedBy: "paper", torch: "F.mish(x)", aliases: ["Mish"],
    summary: "x·tanh(softplus(x)), a self-regularised smooth ReLU",
    reference: "Misra 2019 (Mish: A Self Regularized Non-Monotonic Activation Function); torch.nn.functional.mish",
    stated: { derivative: "tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)", reference: "PyTorch's mish_backward" },
  }),
  available({
    name: "hardtanh", source: "hardtanh(x; min_val = -1, max_val = 1) = { min_val if x <= min_val, max_val if x >= max_val, x otherwise }",
    group: "sigmoid-like", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.hardtanh(x, min_val, max_val)", aliases: ["Hardtanh", "HardTanh"],
    summary: "x clipped to [min_val, max_val]",
    reference: "torch.nn.functional.hardtanh; Collobert 2004",
    kink: "hardtanh'(min_val) = hardtanh'(max_val) = 0, as torch's hardtanh_backward (the gradient passes only strictly inside); clip(x, -1, 1) would give 1 there.",
    stated: { derivative: "x > min_val and x < max_val ? 1 : 0", reference: "PyTorch's hardtanh_backward" },
  }),
  available({
    name: "hardsigmoid", source: "hardsigmoid(x) = { 0 if x <= -3, 1 if x >= 3, x / 6 + 1 / 2 otherwise }",
    group: "sigmoid-like", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.hardsigmoid(x)", aliases: ["Hardsigmoid", "HardSigmoid"],
    summary: "piecewise-linear sigmoid x/6 + 1/2 on [−3, 3]",
    reference: "Howard et al. 2019 (Searching for MobileNetV3); torch.nn.functional.hardsigmoid",
    kink: "hardsigmoid'(-3) = hardsigmoid'(3) = 0, as torch's hardsigmoid_backward (strictly inside only).",
    stated: { derivative: "x > -3 and x < 3 ? 1 / 6 : 0", reference: "PyTorch's hardsigmoid_backward" },
    torchDiffers: "torch's hardsigmoid_backward multiplies by 1/6 as a float32 constant, 0.1666666716337204 in float64; actdiff's 1/6 is exact. " +
      "torch computes (x + 3)/6 and actdiff 1/2 + x/6, which loses relative accuracy within 1e-15 of x = -3 (absolute error below 2^-53).",
  }),
  available({
    name: "hardswish", source: "hardswish(x) = { 0 if x < -3, x if x >= 3, x * (x + 3) / 6 otherwise }",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.hardswish(x)", aliases: ["Hardswish", "HardSwish"],
    summary: "x·hardsigmoid(x), piecewise quadratic",
    reference: "Howard et al. 2019 (Searching for MobileNetV3); torch.nn.functional.hardswish",
    kink: "hardswish'(-3) = -1/2 (the middle piece's slope) and hardswish'(3) = 1, as torch's vectorised hardswish_backward, " +
      "which every tensor of 8 or more float64 elements takes; x * relu6(x + 3) / 6 would give 0 at -3.",
    stated: { derivative: "x < -3 ? 0 : x < 3 ? x / 3 + 1 / 2 : 1", reference: "PyTorch's vectorised hardswish_backward" },
    torchDiffers: "torch's scalar hardswish_backward (tensors of fewer than 8 float64 elements) gives 3/2 at x = 3, its vectorised one 1; actdiff follows the vectorised one. " +
      "Elsewhere they agree.",
  }),
  available({
    name: "hardshrink", source: "hardshrink(x; lambd = 0.5) = x < -lambd or x > lambd ? x : 0",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.hardshrink(x, lambd)", aliases: ["Hardshrink", "HardShrink"],
    summary: "x where |x| > lambd, 0 inside",
    reference: "torch.nn.functional.hardshrink",
    kink: "hardshrink'(±lambd) = 0, as torch (the value is 0 there too: f jumps by lambd).",
    stated: { derivative: "x >= -lambd and x <= lambd ? 0 : 1", reference: "PyTorch's hardshrink_backward" },
  }),
  available({
    name: "softshrink", source: "softshrink(x; lambd = 0.5) = { x - lambd if x > lambd, x + lambd if x < -lambd, 0 otherwise }",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.softshrink(x, lambd)", aliases: ["Softshrink", "SoftShrink"],
    summary: "x shrunk towards 0 by lambd, 0 inside [−lambd, lambd]",
    reference: "torch.nn.functional.softshrink; Donoho 1995 (soft thresholding)",
    kink: "softshrink'(±lambd) = 0, as torch's softshrink_backward.",
    stated: { derivative: "x >= -lambd and x <= lambd ? 0 : 1", reference: "PyTorch's softshrink_backward" },
  }),
  available({
    name: "tanhshrink", source: "tanhshrink(x) = x - tanh(x)", builtin: true,
    group: "sigmoid-like", definedBy: "pytorch", torch: "F.tanhshrink(x)", aliases: ["Tanhshrink", "TanhShrink"],
    summary: "x − tanh(x): ≈ x³/3 near 0, x ∓ 1 far out",
    reference: "torch.nn.functional.tanhshrink",
    stated: { derivative: "tanh(x)^2", reference: "the derivative of x − tanh x, 1 − (1 − tanh²x); torch's autograd of x − tanh(x)" },
    torchDiffers: "torch computes x − tanh(x) as written, which cancels near 0 (at x = 1e-3 it keeps 10 of 16 digits, at 1e-8 none: 0 for 3.3e-25); " +
      "actdiff's tanhshrink is a builtin that evaluates x·x²/(d + x²), d Lambert's continued fraction for tanh, below |x| = 2.5: no cancellation. " +
      "torch's derivative 1 − (1 − tanh²x) cancels the same way; actdiff's is tanh²x.",
  }),
  available({
    name: "threshold", source: "threshold(x; threshold = 0, value = 0) = x > threshold ? x : value",
    group: "relu-family", definedBy: "pytorch", kinkBy: "pytorch", torch: "F.threshold(x, threshold, value)", aliases: ["Threshold"],
    summary: "x above threshold, value at and below it",
    reference: "torch.nn.functional.threshold (its parameters have no defaults; 0 and 0 make it relu)",
    kink: "threshold'(threshold) = 0, as torch's threshold_backward (the gradient passes only where x > threshold).",
    stated: { derivative: "x > threshold ? 1 : 0", reference: "PyTorch's threshold_backward" },
  }),
  available({
    name: "logsigmoid", source: "logsigmoid(x) = log(sigmoid(x))",
    group: "smooth-relu", definedBy: "pytorch", torch: "F.logsigmoid(x)", aliases: ["LogSigmoid", "log_sigmoid"],
    summary: "log σ(x) = −softplus(−x), a smooth −relu(−x)",
    reference: "torch.nn.functional.logsigmoid",
    stated: { derivative: "1 - sigmoid(x)", reference: "PyTorch's log_sigmoid_backward" },
  }),
  // Widely used beyond torch.
  available({
    name: "quick_gelu", source: "quick_gelu(x) = x * sigmoid(1.702 * x)",
    group: "smooth-relu", definedBy: "paper", torch: "x * torch.sigmoid(1.702 * x)", aliases: ["QuickGELU"],
    summary: "GELU's sigmoid approximation x·σ(1.702x), as in CLIP",
    reference: "Hendrycks and Gimpel 2016, §2 (x·σ(1.702x)); Radford et al. 2021 (CLIP's QuickGELU)",
    stated: { derivative: "sigmoid(1.702 * x) * (1 + 1.702 * x * (1 - sigmoid(1.702 * x)))", reference: "the product rule on Hendrycks and Gimpel's x·σ(1.702x)" },
    torchDiffers: "torch has no quick_gelu; the comparison is with x * torch.sigmoid(1.702 * x).",
  }),
  available({
    name: "squared_relu", source: "squared_relu(x) = x > 0 ? x^2 : 0",
    group: "relu-family", definedBy: "paper", kinkBy: "paper", torch: "torch.relu(x) ** 2",
    summary: "relu(x)², as in the Primer transformer",
    reference: "So et al. 2021 (Primer: Searching for Efficient Transformers for Language Modeling)",
    kink: "squared_relu'(0) = 0 from both sides (C¹).",
    stated: { derivative: "x > 0 ? 2 * x : 0", reference: "So et al. 2021 (d/dx relu(x)² = 2·relu(x))" },
    torchDiffers: "torch has no squared_relu; the comparison is with torch.relu(x) ** 2.",
  }),
  available({
    name: "star_relu", source: "star_relu(x; scale = 0.8944, bias = -0.4472) = x > 0 ? scale * x^2 + bias : bias",
    group: "relu-family", definedBy: "paper", kinkBy: "paper", torch: "scale * torch.relu(x) ** 2 + bias",
    summary: "scale·relu(x)² + bias, StarReLU of the MetaFormer baselines",
    reference: "Yu et al. 2022 (MetaFormer Baselines for Vision), StarReLU with s = 0.8944, b = −0.4472",
    kink: "star_relu'(0) = 0 from both sides (C¹).",
    stated: { derivative: "x > 0 ? 2 * scale * x : 0", reference: "Yu et al. 2022 (d/dx s·relu(x)² + b = 2s·relu(x))" },
    torchDiffers: "torch has no star_relu; the comparison is with scale * torch.relu(x) ** 2 + bias.",
  }),
  available({
    name: "smelu", source: "smelu(x; beta = 1) = { 0 if x <= -beta, x if x >= beta, (x + beta)^2 / (4 * beta) otherwise }",
    group: "smooth-relu", definedBy: "paper", kinkBy: "paper", torch: "torch.where(x <= -beta, torch.zeros_like(x), torch.where(x >= beta, x, (x + beta) ** 2 / (4 * beta)))",
    summary: "smooth ReLU: a quadratic joins 0 and x on [−beta, beta]",
    reference: "Shamir, Lin and Coviello 2022 (Smooth activations and reproducibility in deep networks), SmeLU; beta = 1 chosen here",
    kink: "smelu'(-beta) = 0 and smelu'(beta) = 1 from both sides (C¹).",
    stated: { derivative: "{ 0 if x <= -beta, 1 if x >= beta, (x + beta) / (2 * beta) otherwise }", reference: "Shamir et al. 2022" },
    torchDiffers: "torch has no smelu; the comparison is with the definition in torch operations.",
  }),
  available({
    name: "elish", source: "elish(x) = x >= 0 ? x * sigmoid(x) : (exp(x) - 1) * sigmoid(x)",
    group: "smooth-relu", definedBy: "paper", kinkBy: "paper", torch: "torch.where(x >= 0, x * torch.sigmoid(x), torch.expm1(torch.clamp(x, max=0)) * torch.sigmoid(x))",
    summary: "exponential linear sigmoid squashing: swish for x ≥ 0, (eˣ − 1)·σ(x) below",
    reference: "Basirat and Roth 2018 (The Quest for the Golden Activation Function), ELiSH",
    kink: "elish'(0) = 1/2 from both sides (C¹).",
    stated: {
      derivative: "x >= 0 ? sigmoid(x) * (1 + x * (1 - sigmoid(x))) : exp(x) * sigmoid(x) + (exp(x) - 1) * sigmoid(x) * (1 - sigmoid(x))",
      reference: "the product rule on Basirat and Roth's two pieces",
    },
    torchDiffers: "torch has no elish; the comparison is with the definition in torch operations.",
  }),
  available({
    name: "squareplus", source: "squareplus(x; b = 4) = x >= 0 ? (x + sqrt(x^2 + b)) / 2 : b / (2 * (sqrt(x^2 + b) - x))",
    group: "smooth-relu", definedBy: "paper", kinkBy: "paper", torch: "(x + torch.sqrt(x * x + b)) / 2", aliases: ["Squareplus", "SquarePlus"],
    summary: "(x + √(x² + b))/2, an algebraic softplus; b = 4 puts it at 1 at 0",
    reference: "Barron 2021 (Squareplus: A Softplus-Like Algebraic Rectifier), b = 4 as there",
    kink: "none: smooth everywhere; squareplus'(0) = 1/2 from both pieces, which are one function written two ways " +
      "(for x < 0, (x + √(x² + b))/2 = b/(2(√(x² + b) − x)), the form that does not cancel).",
    stated: { derivative: "(1 + x / sqrt(x^2 + b)) / 2", reference: "Barron 2021 (d/dx of (x + √(x² + b))/2)" },
    torchDiffers: "torch has no squareplus; the comparison is with the paper's (x + sqrt(x² + b))/2 in torch operations, which cancels for x ≪ 0 " +
      "(0 from x ≈ −1e8 on, where the value is ≈ b/(4|x|)); actdiff writes the negative half as b/(2(√(x² + b) − x)).",
  }),
  available({
    name: "softclip", source: "softclip(x; p = 1) = x <= 1/2 ? (softplus(p * x) - softplus(p * (x - 1))) / p : 1 - (softplus(p * (1 - x)) - softplus(-p * x)) / p",
    group: "sigmoid-like", definedBy: "paper", kinkBy: "paper", torch: "(torch.logaddexp(0 * x, p * x) - torch.logaddexp(0 * x, p * (x - 1))) / p", aliases: ["SoftClip", "soft_clipping"],
    summary: "log((1 + e^(px))/(1 + e^(p(x − 1))))/p: x softly clipped to (0, 1), sharper as p grows",
    reference: "Klimek and Perelstein 2020 (Neural network-based approach to phase space integration, SciPost Phys. 9, 053; arXiv:1810.11509), soft clipping with parameter p; p = 1 chosen here",
    kink: "none: smooth everywhere; the pieces at x = 1/2 are one function written two ways (softclip(x) = 1 − softclip(1 − x)), " +
      "each where its softplus terms do not cancel, so softclip'(1/2) is the same from both sides.",
    stated: { derivative: "sigmoid(p * x) - sigmoid(p * (x - 1))", reference: "Klimek and Perelstein 2020 (d/dx of log(1 + e^(px)) − log(1 + e^(p(x − 1))), over p)" },
    torchDiffers: "torch has no softclip; the comparison is with log(1 + e^(px)) − log(1 + e^(p(x − 1))) over p in torch operations (logaddexp), " +
      "which cancels for x ≫ 1 (the gradient σ(px) − σ(p(x − 1)) is 0 there in torch); the paper's quotient as written overflows to NaN from px ≈ 710. " +
      "actdiff takes the softplus differences from the side where they do not cancel.",
  }),
  available({
    name: "snake", source: "snake(x; a = 1) = x + sin(a * x)^2 / a",
    group: "smooth-relu", definedBy: "paper", torch: "x + torch.sin(a * x) ** 2 / a", aliases: ["Snake"],
    summary: "x + sin²(ax)/a, a periodic wiggle on the identity, for periodic data",
    reference: "Liu Ziyin, Tilman Hartwig and Masahito Ueda 2020 (Neural Networks Fail to Learn Periodic Functions and How to Fix It), Snake with frequency a; a = 1 chosen here",
    stated: { derivative: "1 + sin(2 * a * x)", reference: "Ziyin et al. 2020 (1 + 2 sin(ax) cos(ax) = 1 + sin(2ax))" },
    torchDiffers: "torch has no snake; the comparison is with the definition in torch operations.",
  }),
  available({
    name: "logistic_pdf", source: "logistic_pdf(x) = sigmoid(x) * (1 - sigmoid(x))", builtin: true,
    group: "sigmoid-like", definedBy: "seed", torch: "torch.sigmoid(x) * (1 - torch.sigmoid(x))", aliases: ["dsigmoid", "LogisticPDF"],
    summary: "the logistic density σ(x)(1 − σ(x)) = σ′(x), the pdf whose cdf is sigmoid; a bump of height 1/4",
    reference: "survey eq. 35 (σ′ = σ(1 − σ)); the standard logistic distribution (its cdf is σ)",
    stated: { derivative: "sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))", reference: "the product rule on σ(1 − σ), with σ′ = σ(1 − σ) (survey eq. 35)" },
    torchDiffers: "torch has no logistic density; σ(x)(1 − σ(x)) in torch is 0 from x ≈ 37 on (1 − σ rounds to 0) and its derivative too; " +
      "actdiff's builtin is e/(1 + e)², e = e^(−|x|), exact in both tails, and its derivative −tanh(x/2)·σ′(x).",
  }),
];
