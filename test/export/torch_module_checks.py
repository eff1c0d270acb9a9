# Run by test/export/torch-module.test.ts (see torch_checks.py): one process for every check.
import ast
import importlib.util
import warnings


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


data = json.load(sys.stdin)
out = {}

# Every module compiles with warnings as errors (no invalid escape sequence in a docstring).
compiled = {}
for path in data["all"]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            compile(open(path, encoding="utf-8").read(), path, "exec")
            compiled[path] = "ok"
        except Exception as e:
            compiled[path] = repr(e)
out["compiled"] = compiled

# String literals read back exactly.
out["literals"] = [ast.literal_eval(text) for text in data["literals"]]

swish = load(data["swish"], "swish_module")
x64 = torch.linspace(-8, 8, 101, dtype=torch.float64)
ref = swish.swish(x64, beta=1.25)
dtypes = {}
for name in ("float32", "bfloat16", "float16"):
    dtype = getattr(torch, name)
    x = x64.to(dtype).requires_grad_()
    y = swish.swish(x, beta=1.25)
    y.sum().backward()
    dtypes[name] = {"dtype": str(y.dtype).replace("torch.", ""), "grad_dtype": str(x.grad.dtype).replace("torch.", ""),
                    "error": float((y.double() - swish.swish(x.detach().double(), beta=1.25)).abs().max())}
out["dtypes"] = dtypes

# A per-channel beta of shape (3, 1) broadcast over (3, 5): its gradient is the sum over the 5,
# as autograd through the plain formula gives it.
x = torch.randn(3, 5, generator=torch.Generator().manual_seed(1))
beta = torch.tensor([[0.5], [1.0], [2.0]], requires_grad=True)
y = swish.swish(x, beta=beta)
(y * torch.arange(15.0).view(3, 5)).sum().backward()
ours = beta.grad.clone()
beta.grad = None
(x * torch.sigmoid(beta * x) * torch.arange(15.0).view(3, 5)).sum().backward()
out["per_channel"] = {"ours": ours.tolist(), "autograd": beta.grad.tolist()}

module = swish.Swish(beta=0.75)
frozen = swish.Swish(learnable=False)
out["module"] = {
    "repr": repr(module),
    "parameters": [n for n, _ in module.named_parameters()],
    "buffers": [n for n, _ in frozen.named_buffers()],
    "frozen_parameters": [n for n, _ in frozen.named_parameters()],
    "state_dict": sorted(frozen.state_dict().keys()),
    "all": swish.__all__,
}

# Two inputs broadcast: glu(a (4, 3), b (3,)) gives b the gradient summed over the 4 rows.
glu = load(data["glu"], "glu_module")
a = torch.randn(4, 3, generator=torch.Generator().manual_seed(2), requires_grad=True)
b = torch.randn(3, generator=torch.Generator().manual_seed(3), requires_grad=True)
glu.glu(a, b).sum().backward()
ga, gb = a.grad.clone(), b.grad.clone()
a.grad, b.grad = None, None
(a * torch.sigmoid(b)).sum().backward()
out["glu"] = {"ga": float((ga - a.grad).abs().max()), "gb": float((gb - b.grad).abs().max()), "shape": list(gb.shape)}

# Hessian-vector products through double backward.
x = torch.tensor([-3.0, -0.5, 0.0, 0.7, 4.0], requires_grad=True)
(g,) = torch.autograd.grad(swish.swish(x).sum(), x, create_graph=True)
(hv,) = torch.autograd.grad(g.sum(), x)
s = torch.sigmoid(x.detach())
out["second"] = {"ours": hv.tolist(), "exact": (s * (1 - s) * (2 + x.detach() * (1 - 2 * s))).tolist()}

dump(out)
