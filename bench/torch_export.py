# Forward + backward of the emitted torch.autograd.Function against torch's built-in, in one
# process, CPU, float32, 10^6 elements; launched by bench/torch-export.ts (`npm run bench -- --torch`).
# Times are the process's CPU time (one torch thread: forward and backward run on this thread), so
# that other work on a shared machine, which takes the CPU away between ops, is not counted.
import importlib.util
import json
import statistics
import sys
import time

import torch

data = json.load(sys.stdin)
torch.set_num_threads(data["threads"])
N = 1_000_000
generator = torch.Generator().manual_seed(1)
x0 = (torch.rand(N, generator=generator) * 16 - 8).float()
g = (torch.rand(N, generator=generator) * 2 - 1).float()
F = torch.nn.functional
BUILTIN = {"sigmoid": torch.sigmoid, "silu": F.silu, "gelu": F.gelu, "mish": F.mish, "softplus": F.softplus}


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def once(fn):
    x = x0.detach().requires_grad_()
    start = time.process_time()
    y = fn(x)
    y.backward(g)
    return time.process_time() - start


rows = []
for case in data["cases"]:
    ours = getattr(load(case["path"], case["name"]), case["function"]).apply
    builtin = BUILTIN[case["name"]]
    for _ in range(3):  # warm up both
        once(ours)
        once(builtin)
    a, b, ratios = [], [], []
    for _ in range(data["rounds"]):  # paired: each round times both, alternating which goes first
        ta, tb = once(ours), once(builtin)
        tb2, ta2 = once(builtin), once(ours)
        a += [ta, ta2]
        b += [tb, tb2]
        ratios.append((ta + ta2) / (tb + tb2))
    rows.append({
        "name": case["name"], "source": case["source"],
        "actdiff": min(a) * 1e9 / N, "builtin": min(b) * 1e9 / N,
        "ratio": min(a) / min(b), "ratioMedian": statistics.median(ratios),
        "ratioRange": [min(ratios), max(ratios)],
    })
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}))
