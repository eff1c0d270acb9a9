import { sub, sym } from "../../ast/build.js";
import { OUTPUT_INDEX } from "../../ast/definition.js";
import type { Expr, Reduce } from "../../ast/nodes.js";
import { freeIndices, mapChildren, postorder } from "../../ast/walk.js";
import type { FnName } from "../../functions/table.js";
import { simplify } from "../../simplify/simplify.js";
import { lower } from "../program.js";
import { expandVectorFunctions, type RowSpec } from "../rows.js";
import { printTorch } from "./print.js";

/**
 * PyTorch code for functions of vectors, along the last dimension (torch's dim = -1): the
 * element expressions of a RowSpec (index notation, the same specs the JavaScript row kernels
 * are generated from — forward, and the O(N) vector–Jacobian product actdiff derived) as tensor
 * operations. Each index gets an axis of its own: the output index i the first after the batch
 * dimensions, each bound index one more, so every value is a tensor of shape
 * [..., M, L₁, L₂, …] with size 1 where it does not depend on an index. x_e is x[..., e] with e
 * an index tensor of that shape; a reduction over an index reduces its axis (keeping it, size 1,
 * so values broadcast); what is left between them is scalar code, lowered by the one scalar
 * lowering and printed by printTorch, with its stable forms and conditions.
 */
export interface TorchRowNames {
  /** The Python names of the spec's vectors, then of its scalars (parameters), in order. */
  readonly vectors: readonly string[];
  readonly scalars: readonly string[];
}

export interface PrintedRows {
  readonly lines: readonly string[];
  /** One per output: a tensor [..., M] (or [...] for a scalar-valued output). */
  readonly results: readonly string[];
  readonly helpers: readonly FnName[];
}

export function printTorchRows(spec: RowSpec, names: TorchRowNames, indent = "    "): PrintedRows {
  return new TorchRowEmitter(spec, names, indent).build();
}

class TorchRowEmitter {
  private readonly lines: string[] = [];
  private readonly helpers = new Set<FnName>();
  private readonly memo = new Map<string, string>();
  private counter = 0;
  /** Index name → its axis (0 for the output index). */
  private readonly axes = new Map<string, number>([[OUTPUT_INDEX, 0]]);
  private readonly exprs: readonly Expr[];
  /** Index tensors that run over a whole vector from 0: index variable → its axis and range. */
  private readonly whole = new Map<string, { readonly axis: number; readonly length: Expr }>();
  private readonly like: string;

  constructor(private readonly spec: RowSpec, private readonly names: TorchRowNames, private readonly indent: string) {
    this.exprs = spec.outputs.map((o) => expandVectorFunctions(o.expr));
    for (const e of this.exprs) {
      for (const n of postorder(e)) if (n.kind === "reduce" && !this.axes.has(n.index)) this.axes.set(n.index, this.axes.size);
    }
    this.like = names.vectors[0]!;
  }

  private get rank(): number {
    return this.axes.size;
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  private line(text: string): void {
    this.lines.push(`${this.indent}${text}`);
  }

  /** A shape tuple of the index axes with `length` at `axis` and 1 elsewhere. */
  private axisShape(axis: number, length: string): string {
    const dims = Array.from({ length: this.rank }, (_, a) => (a === axis ? length : "1"));
    return `(${dims.join(", ")}${dims.length === 1 ? "," : ""})`;
  }

  build(): PrintedRows {
    this.spec.vectors.forEach((v, k) => {
      if (k > 0) return;
      this.line(`n${k} = ${this.names.vectors[k]}.shape[-1]`);
    });
    const results = this.spec.outputs.map((o, i) => {
      if (o.length === undefined) {
        const value = this.emit(this.exprs[i]!, new Map());
        return `_rows_scalar(${value}, ${this.like}, ${this.rank})`;
      }
      const m = this.fresh("m");
      this.line(`${m} = int(${this.emit(o.length, new Map())})`);
      const index = this.fresh("i");
      this.line(`${index} = torch.arange(${m}, device=${this.like}.device).view${this.axisShape(0, m)}`);
      this.whole.set(index, { axis: 0, length: o.length });
      const value = this.emit(this.exprs[i]!, new Map([[OUTPUT_INDEX, index]]));
      return `_rows_out(${value}, ${this.like}, ${m}, ${this.rank})`;
    });
    return { lines: this.lines, results, helpers: [...this.helpers].sort() };
  }

  /** The memo key of e in this scope: its node and the tensors its free indices are bound to. */
  private key(e: Expr, scope: ReadonlyMap<string, string>): string {
    return `${e.id}|${[...freeIndices(e)].sort().map((n) => `${n}=${scope.get(n) ?? "?"}`).join(",")}`;
  }

  /** One reduction over its own axis: its value keeps the axis, of size 1. */
  private reduction(r: Reduce, scope: ReadonlyMap<string, string>): string {
    const axis = this.axes.get(r.index)!;
    const span = simplify(sub(r.to, r.from));
    if (freeIndices(span).size > 0) {
      throw new Error(`internal error: a reduction over ${r.index} whose length depends on another index reached the torch printer`);
    }
    const length = this.fresh("L");
    this.line(`${length} = int(${this.emit(span, scope)})`);
    const start = this.emit(r.from, scope);
    const index = this.fresh("k");
    this.line(`${index} = _rows_index(${start}, ${length}, ${this.axisShape(axis, length)}, ${this.like})`);
    if (r.from.kind === "num" && r.from.value.n === 0n) this.whole.set(index, { axis, length: span });
    const body = this.emit(r.body, new Map([...scope, [r.index, index]]));
    const dim = axis - this.rank;
    const value = this.fresh("r");
    switch (r.op) {
      case "sum": this.line(`${value} = _rows_sum(${body}, ${dim}, ${length})`); break;
      case "max": case "min": this.line(`${value} = _rows_${r.op}(${body}, ${dim})`); break;
      case "argmax": case "argmin": this.line(`${value} = _rows_${r.op}(${body}, ${dim}, ${start})`); break;
    }
    return value;
  }

  /** The value of e in this scope, as a Python expression (statements appended before it). */
  private emit(e: Expr, scope: ReadonlyMap<string, string>): string {
    const known = this.memo.get(this.key(e, scope));
    if (known !== undefined) return known;
    const leaves: string[] = [];
    const leaf = (python: string): Expr => {
      if (!leaves.includes(python)) leaves.push(python);
      return sym(`§${python}`);
    };
    const visited = new Map<number, Expr>();
    const visit = (n: Expr): Expr => {
      const done = visited.get(n.id);
      if (done !== undefined) return done;
      let out: Expr;
      switch (n.kind) {
        case "reduce": {
          const k = this.key(n, scope);
          let name = this.memo.get(k);
          if (name === undefined) {
            name = this.reduction(n, scope);
            this.memo.set(k, name);
          }
          out = leaf(name);
          break;
        }
        case "elem": {
          const slot = this.spec.vectors.findIndex((v) => v.name === n.vector);
          if (slot < 0) throw new Error(`internal error: '${n.vector}' is not a vector of this function`);
          const k = this.key(n, scope);
          let name = this.memo.get(k);
          if (name === undefined) {
            name = this.fresh("e");
            // x_k over the whole of x from 0 is x itself laid along k's axis: a view, not a gather.
            const whole = n.index.kind === "idx" ? this.whole.get(scope.get(n.index.name) ?? "") : undefined;
            const vector = this.names.vectors[slot]!;
            if (whole !== undefined && whole.length === this.spec.vectors[slot]!.length) {
              this.line(`${name} = _rows_view(${vector}, ${whole.axis}, ${this.rank})`);
            } else this.line(`${name} = _rows_element(${vector}, ${this.emit(n.index, scope)}, ${this.rank})`);
            this.memo.set(k, name);
          }
          out = leaf(name);
          break;
        }
        case "idx": {
          const v = scope.get(n.name);
          if (v === undefined) throw new Error(`internal error: the index ${n.name} is not bound here`);
          out = leaf(v);
          break;
        }
        case "len": {
          const slot = this.spec.vectors.findIndex((v) => v.name === n.vector);
          out = leaf(`${this.names.vectors[Math.max(slot, 0)]}.shape[-1]`);
          break;
        }
        case "sym": {
          const k = this.spec.scalars.indexOf(n.name);
          if (k < 0) throw new Error(`internal error: '${n.name}' is neither a vector nor a parameter here`);
          out = leaf(this.names.scalars[k]!);
          break;
        }
        case "num": case "const": out = n; break;
        default: out = mapChildren(n, visit);
      }
      visited.set(n.id, out);
      return out;
    };
    const scalar = visit(e);
    const program = lower([scalar], { inputs: leaves.map((l) => `§${l}`), params: [] }, { lanes: "tensor" });
    const printed = printTorch(program, { input: (i) => leaves[i]!, param: () => "", like: this.like }, this.indent, this.fresh("b"));
    printed.helpers.forEach((h) => this.helpers.add(h));
    this.lines.push(...printed.lines);
    const result = printed.results[0]!;
    this.memo.set(this.key(e, scope), result);
    return result;
  }
}

/** Runtime helpers of the row code (no user text). */
export const ROW_HELPERS: readonly string[] = [
  `def _rows_index(start, length, shape, like):
    """The values start, start + 1, ... of a bound index, along its axis."""
    return torch.as_tensor(start, device=like.device).round().long() + torch.arange(length, device=like.device).view(shape)`,
  `def _rows_view(vector, axis, rank):
    """The vector laid along one index axis (the others of size 1): a view."""
    return vector.reshape(vector.shape[:-1] + (1,) * axis + (vector.shape[-1],) + (1,) * (rank - axis - 1))`,
  `def _rows_element(vector, index, rank):
    """vector[..., index] with index a tensor over the index axes (clamped: an untaken branch may point outside)."""
    index = torch.as_tensor(index, device=vector.device).round().long().clamp(0, vector.shape[-1] - 1)
    if index.dim() < rank:
        index = index.reshape((1,) * rank)
    return vector[..., index]`,
  `def _rows_sum(body, dim, length):
    """The sum along an index axis; a body constant along it counts length times."""
    if not torch.is_tensor(body) or body.dim() < -dim or body.shape[dim] != length:
        return body * length
    return body.sum(dim, keepdim=True)`,
  `def _rows_max(body, dim):
    if not torch.is_tensor(body) or body.dim() < -dim or body.shape[dim] == 1:
        return body
    return body.amax(dim, keepdim=True)`,
  `def _rows_min(body, dim):
    if not torch.is_tensor(body) or body.dim() < -dim or body.shape[dim] == 1:
        return body
    return body.amin(dim, keepdim=True)`,
  `def _rows_argmax(body, dim, start):
    """The first index where the maximum is reached (torch.argmax gives the first)."""
    if not torch.is_tensor(body) or body.dim() < -dim or body.shape[dim] == 1:
        return start
    return body.argmax(dim, keepdim=True) + start`,
  `def _rows_argmin(body, dim, start):
    if not torch.is_tensor(body) or body.dim() < -dim or body.shape[dim] == 1:
        return start
    return body.argmin(dim, keepdim=True) + start`,
  `def _rows_out(value, like, length, rank):
    """A row output as [..., length]: the index axes past the first are all of size 1 by now."""
    value = torch.as_tensor(value, dtype=like.dtype, device=like.device)
    shape = like.shape[:-1] + (length,) + (1,) * (rank - 1)
    return torch.broadcast_to(value, shape).reshape(like.shape[:-1] + (length,))`,
  `def _rows_scalar(value, like, rank):
    """A scalar-valued row function's output as [...]."""
    value = torch.as_tensor(value, dtype=like.dtype, device=like.device)
    return torch.broadcast_to(value, like.shape[:-1] + (1,) * rank).reshape(like.shape[:-1])`,
];
