/**
 * What every printed page repeats: who (name, date of birth, MRN), "page x of y", when it was
 * printed and by whom (only when the EHR let the app read the user's name). Chromium (131 and
 * later) prints CSS `@page` margin boxes on every page, with `counter(page)` and
 * `counter(pages)`; the text is the patient's, so the rule is built here and installed through
 * the CSS object model (the app's CSP allows no inline <style>), each character escaped.
 */
import { useEffect, useState } from 'react';

/** A CSS string literal that can carry any text: everything but plain letters, digits and spaces escaped. */
export function cssString(text: string): string {
  let out = '"';
  for (const char of text) {
    if (/^[A-Za-z0-9 ]$/.test(char)) out += char;
    else out += `\\${char.codePointAt(0)!.toString(16)} `;
  }
  return `${out}"`;
}

export interface PageHeader {
  /** "Rivera, Ana · born 1992-01-15 · MRN 12345". */
  identity: string;
  /** "JAK inhibitor readiness: Abrocitinib (Cibinqo)". */
  title: string;
  /** "Printed 2026-12-07 09:41 by Dr. Ana Li" (no "by" without the user's name). */
  printed: string;
}

const BOX = 'font-family: system-ui, sans-serif; font-size: 8pt; color: #222;';

/** The `@page` rule: identity top left, printed at/by top right, title bottom left, "Page x of y" bottom right. */
export function pageRule(header: PageHeader): string {
  return [
    '@page {',
    `  @top-left { content: ${cssString(header.identity)}; ${BOX} }`,
    `  @top-right { content: ${cssString(header.printed)}; ${BOX} }`,
    `  @bottom-left { content: ${cssString(header.title)}; ${BOX} }`,
    `  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${BOX} }`,
    '}',
  ].join('\n');
}

/** "2026-12-07 09:41" in the user's time zone. */
export function localDateTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

export function printedLine(at: Date, by: string | undefined): string {
  return `Printed ${localDateTime(at)}${by ? ` by ${by}` : ''}`;
}

/** The time of printing: set when the page renders, renewed by the browser's `beforeprint`. */
export function usePrintedAt(): Date {
  const [at, setAt] = useState(() => new Date());
  useEffect(() => {
    const renew = () => setAt(new Date());
    window.addEventListener('beforeprint', renew);
    return () => window.removeEventListener('beforeprint', renew);
  }, []);
  return at;
}

/** Installs the page rule while mounted (a constructed style sheet; nothing where the browser has none). */
export function usePageRule(rule: string): void {
  useEffect(() => {
    const doc = document as Document & { adoptedStyleSheets?: CSSStyleSheet[] };
    if (!doc.adoptedStyleSheets || typeof CSSStyleSheet === 'undefined') return undefined;
    let sheet: CSSStyleSheet;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(rule);
    } catch {
      return undefined;
    }
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return () => {
      doc.adoptedStyleSheets = (doc.adoptedStyleSheets ?? []).filter((s) => s !== sheet);
    };
  }, [rule]);
}
