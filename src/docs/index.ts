/**
 * The documentation site: a gallery of activations and a page for each — definition, f, f′ and
 * f″ in LaTeX, plots with kinks marked and parameter variants overlaid, the property sheet, the
 * derivative's verification and the generated JavaScript — as HTML (KaTeX rendered at build
 * time, works offline) or Markdown with `$$…$$` math and SVG plots.
 */
export { buildSite, findPlaygroundBundle, renderSite, type BuildOptions, type BuildResult, type DocsFormat } from "./site.js";
export { describeActivation, X_DOMAIN, type ActivationDoc, type PropertyProvider, type Subject } from "./model.js";
export { describeMulti, type MultiDoc, type MultiPropertyProvider } from "./model-multi.js";
export { describePage, type PageDoc, type PageProviders } from "./page.js";
export { catalogSubjects, subjectsFromArguments, subjectsFromFile } from "./sources.js";
export { plotSvg, type PlotOptions, type Series } from "./plot.js";
export { sampleCurve, type Kink, type Sampled } from "./sample.js";
