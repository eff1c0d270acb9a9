/**
 * The Python side of `actdiff audit --lang torch`: it loads the emitted module, evaluates f, f′
 * and f″ (autograd through the module's Function: its backward and its double backward) at the
 * points in float64 and float32, and the same through torch's built-in where one is given, and
 * prints them as JSON (non-finite numbers as strings). It receives paths and numbers only.
 */
export const TORCH_AUDIT_DRIVER = String.raw`
import importlib.util, json, math, sys
import torch

def clean(values):
    return [v if math.isfinite(v) else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")) for v in values]

def derivatives(fn, xs, dtype, orders):
    x = torch.tensor(xs, dtype=torch.float64).to(dtype).requires_grad_()
    y = fn(x)
    out = {"0": y.detach().double().tolist()}
    if max(orders) >= 1:
        (d1,) = torch.autograd.grad(y, x, torch.ones_like(y), create_graph=max(orders) >= 2)
        out["1"] = d1.detach().double().tolist()
        if max(orders) >= 2:
            if d1.requires_grad:
                (d2,) = torch.autograd.grad(d1, x, torch.ones_like(d1), allow_unused=True)
                out["2"] = (torch.zeros_like(x) if d2 is None else d2).detach().double().tolist()
            else:
                out["2"] = [0.0] * len(xs)
    return {k: clean(v) for k, v in out.items()}

data = json.load(sys.stdin)
spec = importlib.util.spec_from_file_location("audited", data["path"])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
Function = getattr(module, data["function"])
params = data["params"]
F = torch.nn.functional
result = {}
for dtype_name in data["dtypes"]:
    dtype = getattr(torch, dtype_name)
    xs = data["points"][dtype_name]
    ps = [torch.tensor(p, dtype=dtype) for p in params]
    row = {"export": derivatives(lambda x: Function.apply(x, *ps), xs, dtype, data["orders"])}
    if data["builtin"]:
        builtin = eval(data["builtin"], {"torch": torch, "F": F, "p": params})
        row["builtin"] = derivatives(builtin, xs, dtype, data["orders"])
    result[dtype_name] = row
print(json.dumps({"torch": torch.__version__, "result": result}))
`;
