# Run by test/export/torch-gradcheck.test.ts through test/support/torch.ts (json, sys, math and
# torch are imported, float64 is the default dtype, dump() prints JSON). One process for every case.
import importlib.util


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tensors(columns, requires_grad):
    return [torch.tensor(c, dtype=torch.float64, requires_grad=requires_grad) for c in columns]


def failure(what, check, fn, inputs):
    try:
        check(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
        return None
    except Exception as e:  # the message says which element and by how much
        return what + ": " + str(e)[:1500]


data = json.load(sys.stdin)
results = {}
for case in data["cases"]:
    m = load(case["path"], case["id"])
    F = getattr(m, case["function"])
    failures = []
    for group, columns in case["groups"].items():
        inputs = (*tensors(columns, True), *tensors(case["params"], True))
        for what, check in (("gradcheck", torch.autograd.gradcheck), ("gradgradcheck", torch.autograd.gradgradcheck)):
            message = failure(group + " " + what, check, F.apply, inputs)
            if message is not None:
                failures.append(message)
    # f and every partial derivative, element by element: parameters as tensors of the inputs' shape.
    n = len(case["eval"][0])
    xs = tensors(case["eval"], True)
    ps = tensors([[v] * n for v in case["params"]], True)
    y = F.apply(*xs, *ps)
    grads = torch.autograd.grad(y, [*xs, *ps], torch.ones_like(y))
    # Point by point: one element takes one side of every condition, so only that side is computed.
    single_f, single_grads = [], [[] for _ in range(len(xs) + len(ps))]
    for e in range(n):
        xe = tensors([[c[e]] for c in case["eval"]], True)
        pe = tensors([[v] for v in case["params"]], True)
        ye = F.apply(*xe, *pe)
        ge = torch.autograd.grad(ye, [*xe, *pe], torch.ones_like(ye))
        single_f.append(ye.item())
        for k, g in enumerate(ge):
            single_grads[k].append(g.item())
    # The functional form and the module compute the same.
    functional = getattr(m, case["functional"])(*xs, **dict(zip(case["param_names"], case["params"])))
    module = getattr(m, case["module"])(**dict(zip(case["param_names"], case["params"])))
    alike = lambda a, b: bool(((a == b) | (a.isnan() & b.isnan())).all())
    same = alike(functional, y) and alike(module(*xs), y)
    results[case["id"]] = {"failures": failures, "f": y.tolist(), "grads": [g.tolist() for g in grads], "same": same,
                           "single_f": single_f, "single_grads": single_grads}
dump(results)
