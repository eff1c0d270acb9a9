/** Property sheets: what an activation is like, and how each property was established. */
export { analyze, sheetToJson, sweep, sweepValues } from "./analyze.js";
export { fmt as formatNumber } from "./format.js";
export { describeChecklist, describeSheet, methodText, type ChecklistRow, type SheetRow } from "./describe.js";
export type * from "./types.js";
export { analyzeMulti, multiSheetToJson, takesOneNumber } from "./multi.js";
export { analyzeSeveral } from "./several.js";
export { analyzeVector } from "./vector.js";
export { describeMulti, multiMethodText, type MultiRow } from "./describe-multi.js";
export { KNOWN_JACOBIANS, type KnownJacobian } from "./known-jacobians.js";
export type * from "./multi-types.js";
