/** Property sheets: what an activation is like, and how each property was established. */
export { analyze, fmt as formatNumber, sheetToJson, sweep, sweepValues } from "./analyze.js";
export { describeChecklist, describeSheet, methodText, type ChecklistRow, type SheetRow } from "./describe.js";
export type * from "./types.js";
