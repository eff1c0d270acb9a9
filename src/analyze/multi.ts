import type { Activation } from "../api/activation.js";
import type { MultiSheet } from "./multi-types.js";
import { analyzeSeveral } from "./several.js";
import type { AnalyzeOptions } from "./types.js";
import { analyzeVector } from "./vector.js";

/**
 * The sheet of a function that is not of one number: of vectors (analyzeVector) or of several
 * scalar inputs (analyzeSeveral). Functions of one input keep analyze() and its sheet.
 */
export function analyzeMulti(activation: Activation, options: AnalyzeOptions = {}): MultiSheet {
  return activation.isVector ? analyzeVector(activation, options) : analyzeSeveral(activation, options);
}

/** Whether a function's sheet is analyze()'s (one number in) or analyzeMulti()'s. */
export const takesOneNumber = (activation: Activation): boolean => !activation.isVector && activation.inputs.length === 1;

/** The sheet as JSON-ready data: ±Infinity become the strings "Infinity" / "-Infinity", as sheetToJson does. */
export function multiSheetToJson(sheet: MultiSheet): unknown {
  return JSON.parse(JSON.stringify(sheet, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)));
}
