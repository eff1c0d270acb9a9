/**
 * The long fuzz campaign: `npm run fuzz` (-- --inputs N --from I --seed S --batch B --budget SECONDS).
 * --from resumes a campaign that was stopped: input i is drawn with the seed S + i whichever run
 * draws it, so inputs I..N-1 of a later run are exactly those an uninterrupted run would have drawn.
 * Inputs come from test/fuzz/inputs.ts at the LONG scale, in batches, each batch in a child
 * process (scripts/fuzz-worker.ts) with a heap cap. The child reports each input before and after
 * running it; an input that does not finish within the budget is a hang: the child is killed,
 * the input reported, and the batch goes on after it. A child that dies (a heap abort) reports its
 * input the same way. Findings go to stdout and to fuzz-findings.json; exit 1 if there are any.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    inputs: { type: "string", default: "100000" },
    from: { type: "string", default: "0" },
    seed: { type: "string", default: "17" },
    batch: { type: "string", default: "500" },
    budget: { type: "string", default: "30" },
    heap: { type: "string", default: "2048" },
    heavy: { type: "string", default: "120" },
  },
});
const total = Number(values.inputs);
const first = Number(values.from);
const batch = Number(values.batch);
const budgetMs = Number(values.budget) * 1000;
const worker = fileURLToPath(new URL("./fuzz-worker.ts", import.meta.url));

interface Finding { stage: string; input: string; error: string; index?: number }
const findings: Finding[] = [];
const clip = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} characters)` : s);

/** The CPU time (user and system) a process has used, in ms; NaN where /proc cannot tell. */
function cpuMs(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Runs inputs from..to-1 of the batch's seed; resolves with the index to resume from. */
function runBatch(seed: number, from: number, to: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${values.heap}`, "--import", "tsx", worker,
      String(seed), String(from), String(to), String(values.heavy)], { stdio: ["ignore", "pipe", "inherit"] });
    let current: { index: number; input: string } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let buffered = "";
    let next = from;
    // The budget is the child's CPU time where it can be read (on a shared machine, under nice, an
    // input may wait for the processor far longer than it runs), else the time on the clock.
    let startedCpu = 0;
    const arm = (): void => {
      clearTimeout(timer);
      startedCpu = cpuMs(child.pid);
      const check = (): void => {
        const used = cpuMs(child.pid) - startedCpu;
        if (Number.isFinite(used) && used < budgetMs) {
          timer = setTimeout(check, budgetMs - used);
          return;
        }
        if (current) findings.push({ stage: "hang", index: current.index, input: current.input, error: `no result within ${values.budget} s` });
        child.kill("SIGKILL");
      };
      timer = setTimeout(check, budgetMs);
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
for (let from = first; from < total;) {
  const to = Math.min(total, from + batch);
  let at = from;
  while (at < to) at = await runBatch(seed, at, to);
  from = to;
  // Written after every batch, so that a campaign stopped early keeps what it found.
  writeFileSync("fuzz-findings.json", JSON.stringify(findings, null, 2));
  console.error(`inputs ${first}..${to - 1} of ${total}, ${findings.length} findings, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
writeFileSync("fuzz-findings.json", JSON.stringify(findings, null, 2));
console.log(`inputs ${first}..${total - 1} (seed ${seed}): ${findings.length} findings${findings.length ? " — see fuzz-findings.json" : ""}`);
process.exitCode = findings.length > 0 ? 1 : 0;
