/**
 * The long fuzz campaign: `npm run fuzz` (-- --inputs N --seed S --batch B --budget SECONDS).
 * Inputs come from test/fuzz/inputs.ts at the LONG scale, in batches, each batch in a child
 * process (scripts/fuzz-worker.ts) with a heap cap. The child reports each input before and after
 * running it; an input that does not finish within the budget is a hang: the child is killed,
 * the input reported, and the batch goes on after it. A child that dies (a heap abort) reports its
 * input the same way. Findings go to stdout and to fuzz-findings.json; exit 1 if there are any.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    inputs: { type: "string", default: "100000" },
    seed: { type: "string", default: "17" },
    batch: { type: "string", default: "500" },
    budget: { type: "string", default: "30" },
    heap: { type: "string", default: "2048" },
    heavy: { type: "string", default: "120" },
  },
});
const total = Number(values.inputs);
const batch = Number(values.batch);
const budgetMs = Number(values.budget) * 1000;
const worker = fileURLToPath(new URL("./fuzz-worker.ts", import.meta.url));

interface Finding { stage: string; input: string; error: string; index?: number }
const findings: Finding[] = [];
const clip = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} characters)` : s);

/** Runs inputs from..to-1 of the batch's seed; resolves with the index to resume from. */
function runBatch(seed: number, from: number, to: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${values.heap}`, "--import", "tsx", worker,
      String(seed), String(from), String(to), String(values.heavy)], { stdio: ["ignore", "pipe", "inherit"] });
    let current: { index: number; input: string } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let buffered = "";
    let next = from;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (current) findings.push({ stage: "hang", index: current.index, input: current.input, error: `no result within ${values.budget} s` });
        child.kill("SIGKILL");
      }, budgetMs);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const message = JSON.parse(line) as { start?: number; input?: string; done?: number; findings?: Finding[] };
        if (message.start !== undefined) {
          current = { index: message.start, input: message.input! };
          arm();
        } else if (message.done !== undefined) {
          for (const f of message.findings ?? []) {
            findings.push({ ...f, index: message.done });
            console.log(`finding #${findings.length} (input ${message.done}, ${f.stage}): ${f.error}\n  input: ${JSON.stringify(clip(f.input))}`);
          }
          next = message.done + 1;
          current = undefined;
          clearTimeout(timer);
        }
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (current !== undefined) {
        if (signal !== "SIGKILL") findings.push({ stage: "crash", index: current.index, input: current.input, error: `the process ended (${signal ?? `exit ${code}`})` });
        const f = findings.at(-1)!;
        console.log(`finding #${findings.length} (input ${current.index}, ${f.stage}): ${f.error}\n  input: ${JSON.stringify(clip(current.input))}`);
        next = current.index + 1;
      } else if (code !== 0) next = to;
      resolve(next);
    });
  });
}

const seed = Number(values.seed);
const started = Date.now();
for (let from = 0; from < total;) {
  const to = Math.min(total, from + batch);
  let at = from;
  while (at < to) at = await runBatch(seed, at, to);
  from = to;
  console.error(`${to} of ${total} inputs, ${findings.length} findings, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
writeFileSync("fuzz-findings.json", JSON.stringify(findings, null, 2));
console.log(`${total} inputs (seed ${seed}): ${findings.length} findings${findings.length ? " — see fuzz-findings.json" : ""}`);
process.exitCode = findings.length > 0 ? 1 : 0;
