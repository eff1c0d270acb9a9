import { describe, expect, test } from "vitest";
import { catalogSubjects, describePage } from "../../src/docs/index.js";
import { renderSite } from "../../src/docs/site.js";
import { codeIds, PLAYGROUND_CSP, PLAYGROUND_IDS, PLAYGROUND_SCRIPT } from "../../src/docs/playground-page.js";

/** The site with and without its playground: the page's markup, and the header link on every page. */
const docs = catalogSubjects().filter((s) => ["relu", "swish"].includes(s.activation.name)).map((s) => describePage(s, {}));

describe("playground.html in the site", () => {
  test("with the playground: the page, and a header link to it on every page", () => {
    const files = renderSite(docs, "html", "Activation functions", true);
    expect([...files.keys()]).toEqual(["index.html", "relu.html", "swish.html", "style.css", "playground.html"]);
    for (const file of ["index.html", "relu.html", "swish.html", "playground.html"]) {
      expect(files.get(file), file).toContain(`<nav class="site-nav" aria-label="Site"><a href="index.html">Activation functions</a><a href="playground.html">Playground</a></nav>`);
    }
    const html = files.get("playground.html")!;
    expect(html).toContain(`<label for="${PLAYGROUND_IDS.formula}">Formula</label>`);
    expect(html).toContain(`<script src="${PLAYGROUND_SCRIPT}"></script>`);
    expect(html).not.toContain(`type="module"`);
    for (const id of Object.values(PLAYGROUND_IDS)) expect(html, id).toContain(`id="${id}"`);
    // The code tabs: a tablist, each tab controlling its panel, the first one selected.
    expect(html).toContain(`role="tablist" aria-label="Language of the generated code"`);
    for (const lang of ["js", "ts", "torch", "tfjs"]) {
      const ids = codeIds(lang);
      expect(html).toContain(`role="tab" id="${ids.tab}" aria-controls="${ids.panel}"`);
      expect(html).toContain(`role="tabpanel" id="${ids.panel}" aria-labelledby="${ids.tab}"`);
    }
    expect(html).toContain(`aria-selected="true" tabindex="0">JavaScript</button>`);
    // The audit's progress bar has a label.
    expect(html).toContain(`<label for="${PLAYGROUND_IDS.auditProgress}">Audit progress</label>`);
    // The catalog picker lists the catalog, each option's value its definition.
    expect(html).toContain(`<option value="relu(x) = x &gt; 0 ? x : 0">relu</option>`);
  });

  test("its policy: scripts of its folder only, no eval, no connections", () => {
    const directives = new Map(PLAYGROUND_CSP.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("connect-src")).toEqual(["'none'"]);
    // The worker: from a Blob URL the page makes of its own script's text, and nothing else.
    expect(directives.get("worker-src")).toEqual(["blob:"]);
    expect(PLAYGROUND_CSP).not.toContain("unsafe-eval");
  });

  test("without it, no page links to it", () => {
    const files = renderSite(docs, "html");
    expect(files.has("playground.html")).toBe(false);
    for (const [file, content] of files) expect(content, file).not.toContain("playground.html");
  });
});
