/**
 * Sources as clinicians read them (clinical/spec.md R3.8): each label a source names gets a link
 * to its public page. Pure text in, links out, so every rule's source is linked the same way.
 */
import type { SourceLink } from '../../contract/report';
import { BRANDS, LABEL_PAGES, labelName } from '../../kb/label-pages';

export function sourceLinks(source: string | undefined): SourceLink[] {
  if (!source) return [];
  const links: SourceLink[] = [];
  for (const brand of BRANDS) {
    for (const region of ['US', 'EU'] as const) {
      const label = labelName(brand, region);
      if (source.includes(label)) links.push({ label, url: LABEL_PAGES[brand][region] });
    }
  }
  return links;
}

/** The same object with `links` for the labels its source names (none: unchanged). */
export function withLinks<T extends { source: string; links?: SourceLink[] }>(thing: T): T {
  const links = sourceLinks(thing.source);
  return links.length ? { ...thing, links } : thing;
}
