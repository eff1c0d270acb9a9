import type { Activation } from "../api/activation.js";
import { ActdiffError } from "../errors.js";

/**
 * The activation as a module of another framework, as `actdiff emit --lang …` writes it: each
 * page shows it beside the generated JavaScript. One row per target.
 */
export interface ExportDoc {
  /** The section's id: `pytorch`. */
  readonly id: string;
  readonly title: string;
  /** The code block's language, for highlighting: `python`. */
  readonly language: string;
  /** The command that writes it. */
  readonly command: string;
  readonly note: string;
  readonly source: string;
}

const TARGETS = [
  {
    id: "pytorch", title: "PyTorch", lang: "torch", language: "python", extension: "py",
    note: "A standalone Python module (torch and math only): the functional form, a torch.autograd.Function whose " +
      "backward is actdiff's derivative and whose double backward is actdiff's second derivative, and an nn.Module " +
      "with the parameters learnable.",
  },
  {
    id: "tensorflow-js", title: "TensorFlow.js", lang: "tfjs", language: "javascript", extension: "js",
    note: "An ES module importing @tensorflow/tfjs: the activation as a tf.customGrad op whose gradient is actdiff's " +
      "derivative (parameters passed as tensors get theirs too), and a tf.layers.Layer with the parameters as " +
      "trainable weights, registered for model.save and tf.loadLayersModel.",
  },
] as const;

/** The exports of an activation; a target that cannot take it (E_UNSUPPORTED) is left out. */
export function exportsOf(f: Activation, catalogName: string | undefined): ExportDoc[] {
  return TARGETS.flatMap((t) => {
    try {
      const source = f.emitModule({ lang: t.lang });
      const what = catalogName ?? `"${f.toString()}"`;
      const command = `actdiff emit ${what} --lang ${t.lang} --out ${catalogName ?? f.name}.${t.extension}`;
      return [{ id: t.id, title: t.title, language: t.language, command, note: t.note, source }];
    } catch (err) {
      if (err instanceof ActdiffError && err.code === "E_UNSUPPORTED") return [];
      throw err;
    }
  });
}
