/**
 * Resolving references between resources the way a bundle or a server lays them out:
 * `Type/id` (optionally with `_history`), an absolute URL ending in `Type/id`, a `urn:uuid:`
 * fullUrl, or `#id` for a resource contained in the referring one. One pass builds the maps,
 * so each lookup is constant time (the record may hold tens of thousands of resources).
 */
import type { FhirResource } from 'fhir/r4';

type Resource = FhirResource;

/**
 * The fullUrl each resource had in the bundle it was read from. Kept on the side (not on the
 * resource) so resources stay plain FHIR and callers that only pass `resources` around still
 * resolve `urn:uuid:` references.
 */
const FULL_URLS = new WeakMap<object, string>();

export function rememberFullUrl(resource: object, fullUrl: string): void {
  FULL_URLS.set(resource, fullUrl);
}

export function fullUrlOf(resource: object): string | undefined {
  return FULL_URLS.get(resource);
}

const RELATIVE = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/?#]+?)(?:\/_history\/[^/]+)?$/;

/** "Type/id" for a relative or absolute RESTful reference, else undefined. */
export function relativeReference(reference: string): string | undefined {
  const m = RELATIVE.exec(reference.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export class ResourceIndex {
  private readonly byTypeId = new Map<string, Resource>();
  private readonly byFullUrl = new Map<string, Resource>();

  constructor(resources: readonly Resource[], fullUrls?: ReadonlyMap<string, Resource>) {
    for (const resource of resources) {
      if (!resource || typeof resource !== 'object') continue;
      const id = (resource as { id?: unknown }).id;
      if (typeof id === 'string' && id) this.byTypeId.set(`${resource.resourceType}/${id}`, resource);
      const fullUrl = fullUrlOf(resource);
      if (fullUrl) this.byFullUrl.set(fullUrl, resource);
    }
    if (fullUrls) for (const [url, resource] of fullUrls) this.byFullUrl.set(url, resource);
  }

  /** The resource a reference points to, looking into `container.contained` for `#id`. */
  resolve(reference: string | undefined, container?: object): Resource | undefined {
    if (typeof reference !== 'string' || !reference.trim()) return undefined;
    const ref = reference.trim();
    if (ref.startsWith('#')) {
      const contained = (container as { contained?: unknown } | undefined)?.contained;
      if (!Array.isArray(contained)) return undefined;
      return contained.find(
        (r): r is Resource => !!r && typeof r === 'object' && (r as { id?: unknown }).id === ref.slice(1),
      );
    }
    const direct = this.byFullUrl.get(ref);
    if (direct) return direct;
    const relative = relativeReference(ref);
    return relative ? this.byTypeId.get(relative) : undefined;
  }
}
