/**
 * The fixed part of an emitted TensorFlow.js module: how the activation's Programs become a
 * differentiable tfjs function and a layer. It refers to the definition only through the
 * module's constants (INPUTS, PARAMETERS, NAME, SCALAR, all JSON) and its printed functions
 * (forward, gradient, gradientAll; forward and vjp for vectors), so no text a user typed is part of it.
 */

/** For every module: inputs as float32 tensors, and the parameters from an object or a layer config. */
export const COMMON_RUNTIME = `/** A float32 tensor of x (a number or an array becomes one; int32 is cast). */
function floatTensor(x) {
  const t = x instanceof tf.Tensor ? x : tf.tensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/** The parameters in order, from { name: value }: numbers (constants) or tensors (which get gradients). */
function parameterValues(params, where) {
  if (typeof params !== "object" || params === null) throw new TypeError(where + ": the parameters are an object { name: number or tensor }");
  for (const key of Object.keys(params)) {
    if (!PARAMETERS.some((p) => p.name === key)) {
      throw new TypeError(where + ": no parameter " + JSON.stringify(key) + "; its parameters: " + (PARAMETERS.map((p) => p.name).join(", ") || "none"));
    }
  }
  return PARAMETERS.map((p) => {
    const value = Object.hasOwn(params, p.name) ? params[p.name] : p.defaultValue;
    if (value instanceof tf.Tensor) return floatTensor(value);
    if (value === null) throw new TypeError(where + ": parameter " + JSON.stringify(p.name) + " has no default value; pass one");
    if (typeof value !== "number") throw new TypeError(where + ": parameter " + JSON.stringify(p.name) + " is a number or a tensor");
    return value;
  });
}

/**
 * The layer's parameter values from its config (any of each parameter's keys), or their defaults:
 * numbers, or with perChannel an array of numbers too (one per channel, as a saved layer has them).
 */
function configValues(config, where, perChannel = false) {
  return PARAMETERS.map((p) => {
    const key = p.keys.find((k) => Object.hasOwn(config, k));
    const value = key === undefined ? p.defaultValue : config[key];
    if (value === null) throw new TypeError(where + ": parameter " + JSON.stringify(p.keys[0]) + " has no default value; give it in the config");
    const numbers = perChannel && Array.isArray(value) && value.every((v) => typeof v === "number");
    if (typeof value !== "number" && !numbers) throw new TypeError(where + ": parameter " + JSON.stringify(p.keys[0]) + " is a number" + (perChannel ? " or an array of numbers, one per channel" : ""));
    return value;
  });
}`;

/** For a module of numbers: the op with its gradient by the inputs and the tensor parameters, broadcasting. */
export const ELEMENTWISE_RUNTIME = `/** The gradient of an operand that was broadcast: summed over the axes it was broadcast along. */
function sumTo(g, shape) {
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return tf.reshape(tf.sum(g, axes), shape);
}

/** The shape that operands of these shapes broadcast to. */
function broadcastShape(shapes) {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const shape = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) if ((s[s.length - rank + i] ?? 1) !== 1) d = s[s.length - rank + i];
    shape.push(d);
  }
  return shape;
}

/**
 * f of the inputs (tensors) and the parameters (numbers, or tensors), as one tf.customGrad op
 * whose gradient is actdiff's: dy times the derivative, for each input and each tensor parameter
 * (summed to its shape). Number parameters are constants; only when some parameter is a tensor is
 * the gradient with respect to the parameters computed at all.
 */
function differentiable(inputs, params) {
  const trained = params.flatMap((p, k) => (p instanceof tf.Tensor ? [k] : []));
  // Where each tensor argument of the op stands among forward's arguments (inputs, then parameters).
  const slots = [...inputs.map((_, i) => i), ...trained.map((k) => INPUTS + k)];
  const argumentsOf = (tensors) => {
    const values = [...tensors.slice(0, INPUTS), ...params];
    trained.forEach((k, j) => { values[INPUTS + k] = tensors[INPUTS + j]; });
    return values;
  };
  const op = tf.customGrad((...args) => {
    const save = args.pop();
    save(args);
    const y = forward(...argumentsOf(args));
    const shape = broadcastShape(args.map((a) => a.shape));
    return {
      value: fitTo(y, shape),
      gradFunc: (dy, saved) => {
        const all = argumentsOf(saved);
        const partials = trained.length === 0 ? gradient(...all) : gradientAll(...all);
        return slots.map((u, i) => partialOf(u, partials[u], saved[i].shape, slots, argumentsOf)(dy, ...saved));
      },
    };
  });
  return op(...inputs, ...trained.map((k) => params[k]));
}

/**
 * dy · ∂f/∂u summed to u's shape, as an op of its own whose gradient is actdiff's second
 * derivatives — by dy, ∂f/∂u; by each tensor argument v, dy · ∂²f/∂u∂v — so that the gradient of
 * a gradient (a Hessian-vector product) is f″ from actdiff, not autodiff through the stable code.
 */
function partialOf(u, partial, shape, slots, argumentsOf) {
  const n = INPUTS + PARAMETERS.length;
  // ∂²f/∂a∂b for a ≤ b, in the order hessian returns them.
  const pair = (a, b) => (a <= b ? a * n - (a * (a - 1)) / 2 + (b - a) : pair(b, a));
  return tf.customGrad((dy, ...rest) => {
    const save = rest.pop();
    save([dy, ...rest, ...(partial instanceof tf.Tensor ? [partial] : [])]);
    return {
      value: sumTo(tf.mul(dy, partial), shape),
      gradFunc: (ddu, [savedDy, ...saved]) => {
        const tensors = saved.slice(0, slots.length);
        const d = partial instanceof tf.Tensor ? saved[slots.length] : partial;
        const second = hessian(...argumentsOf(tensors));
        const upstream = tf.mul(ddu, savedDy);
        return [
          fitTo(tf.mul(ddu, d), savedDy.shape),
          ...slots.map((v, i) => sumTo(fitTo(tf.mul(upstream, second[pair(u, v)]), savedDy.shape), tensors[i].shape)),
        ];
      },
    };
  });
}

/** y (a tensor or a number) as a tensor of this shape, which it broadcasts to. */
function fitTo(y, shape) {
  if (!(y instanceof tf.Tensor)) return tf.fill(shape, y);
  return y.rank === shape.length && y.shape.every((d, i) => d === shape[i]) ? y : tf.broadcastTo(y, shape);
}`;

/** The layer class, given its JavaScript name and its registered className (a JSON string). */
export function layerSource(className: string, registered: string, name: string): string {
  return `export class ${className} extends tf.layers.Layer {
  static className = ${registered};
  #values;
  #perChannel;
  #weights = [];

  /**
   * config: the parameters by key (camelCase); perChannel: true for one value of each parameter per
   * channel (the last axis, as Keras's PReLU), all starting at the given value; then the usual
   * layer arguments (name, trainable, …).
   */
  constructor(config = {}) {
    super(config);
    this.#perChannel = config.perChannel === true;
    this.#values = configValues(config, ${name}, this.#perChannel);
  }

  build(inputShape) {
    const shape = INPUTS === 1 || !Array.isArray(inputShape[0]) ? inputShape : inputShape[0];
    const channels = shape[shape.length - 1];
    if (this.#perChannel && !(channels > 0)) throw new TypeError(${name} + ": perChannel needs the size of the last axis");
    this.#weights = PARAMETERS.map((p, i) => {
      const value = this.#values[i];
      const weight = this.addWeight(p.weight, this.#perChannel ? [channels] : [], "float32", tf.initializers.constant({ value: Array.isArray(value) ? 0 : value }));
      if (Array.isArray(value)) {
        if (value.length !== channels) throw new TypeError(${name} + ": parameter " + JSON.stringify(p.keys[0]) + " has " + value.length + " values for " + channels + " channels");
        tf.tidy(() => weight.write(tf.tensor1d(value)));
      }
      return weight;
    });
    super.build(inputShape);
  }

  computeOutputShape(inputShape) {
    return INPUTS === 1 || !Array.isArray(inputShape[0]) ? inputShape : inputShape[0];
  }

  call(inputs) {
    return tf.tidy(() => {
      const xs = INPUTS === 1 ? [Array.isArray(inputs) ? inputs[0] : inputs] : inputs;
      if (xs.length !== INPUTS) throw new TypeError(${name} + ": the layer takes " + INPUTS + " inputs, as a list");
      return differentiable(xs.map(floatTensor), this.#weights.map((w) => w.read()));
    });
  }

  /** The layer arguments and the current parameter values (the trained ones once built; arrays per channel). */
  getConfig() {
    const values = this.built ? this.#weights.map((w) => (this.#perChannel ? Array.from(w.read().dataSync()) : w.read().dataSync()[0])) : this.#values;
    return { ...super.getConfig(), perChannel: this.#perChannel, ...Object.fromEntries(PARAMETERS.map((p, i) => [p.keys[0], values[i]])) };
  }
}
tf.serialization.registerClass(${className});`;
}


/**
 * What a module of a function of vectors adds: the op along the last axis, whose gradient is the
 * VJP actdiff derived (`vjp`), and its parameters' values (numbers: constants of the row code).
 */
export const ROW_RUNTIME = `/** f along the last axis of x as one tf.customGrad op; its gradient is vjp(x, dy), O(N) per row. */
function rowwise(x, params) {
  params.forEach((p, i) => {
    if (typeof p !== "number") throw new TypeError(NAME + ": parameter " + JSON.stringify(PARAMETERS[i].name) + " of a function of vectors is a number");
  });
  const op = tf.customGrad((x, save) => {
    save([x]);
    return { value: forward(x, ...params), gradFunc: (dy, [saved]) => vjp(saved, SCALAR ? tf.expandDims(dy, -1) : dy, ...params) };
  });
  return op(x);
}`;

/**
 * The layer of a function of vectors: its parameters are in its config (constants, not weights).
 * outputShape: the body of computeOutputShape when the last axis changes otherwise (maxout's n / k).
 */
export function rowLayerSource(className: string, registered: string, name: string, outputShape?: string): string {
  return `export class ${className} extends tf.layers.Layer {
  static className = ${registered};
  #values;

  /** config: the parameters by key (camelCase), then the usual layer arguments (name, …). */
  constructor(config = {}) {
    super(config);
    this.#values = configValues(config, ${name});
  }

  computeOutputShape(inputShape) {
    ${outputShape ?? "return SCALAR ? inputShape.slice(0, -1) : inputShape;"}
  }

  call(inputs) {
    return tf.tidy(() => rowwise(floatTensor(Array.isArray(inputs) ? inputs[0] : inputs), this.#values));
  }

  getConfig() {
    return { ...super.getConfig(), ...Object.fromEntries(PARAMETERS.map((p, i) => [p.keys[0], this.#values[i]])) };
  }
}
tf.serialization.registerClass(${className});`;
}
