import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/**
 * Emitted TypeScript as a strict user compiles it: the modules written to `dir` and type-checked
 * together (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, no DOM), and each with its
 * types stripped, to import and run.
 */
export function strictlyTyped(dir: string, modules: readonly string[]): { readonly messages: string[]; readonly javascript: readonly string[] } {
  const files = modules.map((text, i) => {
    const file = join(dir, `typed${i}.ts`);
    writeFileSync(file, text);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, noImplicitReturns: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ["lib.es2022.d.ts"], types: [],
  });
  const messages = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  return { messages, javascript: modules.map((text) => stripTypes(text)) };
}

export const stripTypes = (text: string, options: { readonly removeComments?: boolean } = {}): string =>
  ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, ...options } }).outputText;
