import { afterAll, expect, test } from "vitest";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { define } from "../../src/api/activation.js";
import { PY_DUMP, runTorch } from "../support/torch.js";
import { tempDir } from "./torch-cases.js";

/**
 * From one line to training: a 3-layer MLP whose activations are the exported Swish module with
 * a learnable β per hidden unit fits a toy regression (y = sin(3x) + x²/2) with Adam; the loss
 * falls and the βs move, so the parameter gradients reach the optimizer. Then the same with a
 * user definition (snake, learnable a), and a second-order step (the gradient penalty of a loss
 * through double backward) runs.
 */
const { dir, remove } = tempDir();
afterAll(remove);

const SWISH = join(dir, "swish.py");
const SNAKE = join(dir, "snake.py");
writeFileSync(SWISH, define("swish").emitModule({ lang: "torch" }));
writeFileSync(SNAKE, define("snake(x; a = 0.5) = x + sin(a * x)^2 / a").emitModule({ lang: "torch" }));

interface Run { readonly losses: number[]; readonly paramsBefore: number[]; readonly paramsAfter: number[]; readonly penalty: number }

const results = runTorch<Record<string, Run>>(`${PY_DUMP}
import importlib.util
data = json.load(sys.stdin)
torch.set_default_dtype(torch.float32)

def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

def train(make_activation, param):
    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 256).unsqueeze(1)
    y = torch.sin(3 * x) + x * x / 2
    acts = [make_activation(), make_activation()]
    model = torch.nn.Sequential(torch.nn.Linear(1, 32), acts[0], torch.nn.Linear(32, 32), acts[1], torch.nn.Linear(32, 1))
    before = [float(getattr(a, param).detach().mean()) for a in acts]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for step in range(150):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    after = [float(getattr(a, param).detach().mean()) for a in acts]
    # A gradient penalty: d/dθ of |d loss/d input|², through double backward.
    xi = x.clone().requires_grad_()
    (g,) = torch.autograd.grad(torch.nn.functional.mse_loss(model(xi), y), xi, create_graph=True)
    penalty = (g * g).sum()
    penalty.backward()
    return {"losses": losses, "paramsBefore": before, "paramsAfter": after, "penalty": float(penalty)}

swish = load(data["swish"], "swish_train")
snake = load(data["snake"], "snake_train")
dump({
    "swish": train(lambda: swish.Swish(beta=torch.ones(32)), "beta"),
    "snake": train(lambda: snake.Snake(a=torch.full((32,), 0.5)), "a"),
})
`, { swish: SWISH, snake: SNAKE });

test.each(["swish", "snake"])("a 3-layer MLP with the exported %s trains: the loss falls and the learnable parameters move", (name) => {
  const run = results[name]!;
  const first = run.losses[0]!;
  const last = run.losses[run.losses.length - 1]!;
  expect(last).toBeLessThan(first / 10);
  run.paramsAfter.forEach((p, i) => expect(Math.abs(p - run.paramsBefore[i]!)).toBeGreaterThan(1e-3));
  expect(Number.isFinite(run.penalty)).toBe(true);
});
