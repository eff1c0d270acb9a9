/** Small pieces of DOM the playground's panels share. */
import type { ErrorView } from "../model.js";

/** An error as actdiff gives it: the message, the line with carets under the offending text, the hint. */
export function errorNodes(doc: Document, view: ErrorView): HTMLElement[] {
  const message = doc.createElement("p");
  message.className = "message";
  message.textContent = view.message;
  const parts: HTMLElement[] = [message];
  if (view.excerpt) {
    const excerpt = doc.createElement("pre");
    excerpt.className = "excerpt";
    excerpt.textContent = `${view.excerpt.text}\n${view.excerpt.carets}`;
    parts.push(excerpt);
  }
  if (view.hint !== undefined) {
    const hint = doc.createElement("p");
    hint.className = "hint";
    hint.textContent = `hint: ${view.hint}`;
    parts.push(hint);
  }
  return parts;
}

export function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

/** Saves text as a file: a Blob URL clicked as a download link (no request leaves the page). */
export function saveFile(doc: Document, fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = doc.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text, or where the page may not (a file:// page in some browsers) selects it for Ctrl+C. */
export async function copyText(target: HTMLElement, status: HTMLElement): Promise<void> {
  const doc = target.ownerDocument;
  try {
    await doc.defaultView!.navigator.clipboard.writeText(target.textContent ?? "");
    status.textContent = "Copied.";
  } catch {
    doc.getSelection()?.selectAllChildren(target);
    status.textContent = "Selected: press Ctrl+C to copy.";
  }
}
