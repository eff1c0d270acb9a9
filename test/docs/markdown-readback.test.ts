import { describe, expect, test } from "vitest";
import { oneInputActivations, catalogEntry, catalogScope } from "../../src/catalog/catalog.js";
import { checkDocument } from "../../src/check/check.js";
import { describeActivation } from "../../src/docs/model.js";
import { renderSite } from "../../src/docs/site.js";
import { define } from "../../src/index.js";

/**
 * The Markdown pages, read back by the document checker as a reader's tool would: every formula
 * on a page — the definition, f′ and f″ as derived, the derivative an outside source states —
 * is a claim about the activation, and every one of them must be proved or verified.
 */
const names = oneInputActivations().map((e) => e.name);
const docs = names.map((n) => describeActivation({ activation: define(n), entry: catalogEntry(n)!, scope: catalogScope }));
const pages = [...renderSite(docs, "md")].filter(([path]) => path.endsWith(".md") && path !== "index.md");

describe("the Markdown site read back by the document checker", () => {
  test("there is a page for every catalog activation", () => {
    expect(pages.map(([path]) => path)).toEqual(names.map((n) => `${n}.md`));
  });

  test.each(pages)("%s: every claim holds, none skipped", (_path, md) => {
    const report = checkDocument(md);
    expect(report.skipped).toEqual([]);
    // f, f′, f″ and the stated derivative.
    expect(report.claims.length).toBeGreaterThanOrEqual(4);
    for (const c of report.claims) expect(["proved", "verified"], `line ${c.line}: ${c.text}`).toContain(c.verdict);
  });
});
