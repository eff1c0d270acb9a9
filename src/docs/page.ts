import { takesOneNumber } from "../analyze/multi.js";
import { describeActivation, type ActivationDoc, type PropertyProvider, type Subject } from "./model.js";
import { describeMulti, type MultiDoc, type MultiPropertyProvider } from "./model-multi.js";

/** A page of the site: of a function of one input, or of several inputs or a vector. */
export type PageDoc = ActivationDoc | MultiDoc;

export interface PageProviders {
  /** The property sheet of a function of one input. */
  readonly one?: PropertyProvider;
  /** The sheet of a function of several inputs or of a vector. */
  readonly multi?: MultiPropertyProvider;
}

/** The page model of any activation: describeActivation's for one input, describeMulti's otherwise. */
export function describePage(subject: Subject, properties: PageProviders = {}): PageDoc {
  return takesOneNumber(subject.activation)
    ? describeActivation(subject, properties.one)
    : describeMulti(subject, properties.multi);
}
