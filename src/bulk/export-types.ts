/**
 * The resource types the worklist asks a Bulk Data server for: one list, derived from what the
 * engine reads (LOADED_RESOURCE_TYPES) plus Medication, which only resolves the
 * `medicationReference` of orders and statements. A type the engine learns to read is added
 * there, and the export, the scopes, the folder reader and the partition follow.
 */
import { LOADED_RESOURCE_TYPES, type LoadedResourceType } from '../engine/record';

/** Types that belong to no patient but are read to resolve references, and which types need them. */
const REFERENCED_TYPES = { Medication: ['MedicationRequest', 'MedicationStatement'] } as const satisfies Record<string, readonly LoadedResourceType[]>;

export type ExportType = LoadedResourceType | keyof typeof REFERENCED_TYPES;

export const EXPORT_TYPES: readonly ExportType[] = [...LOADED_RESOURCE_TYPES, ...(Object.keys(REFERENCED_TYPES) as Array<keyof typeof REFERENCED_TYPES>)];

export function isExportType(type: string): type is ExportType {
  return (EXPORT_TYPES as readonly string[]).includes(type);
}

/** A referenced type is worth asking for only with a type that references it. */
export function neededWith(type: ExportType, asked: readonly string[]): boolean {
  const users = (REFERENCED_TYPES as Record<string, readonly string[]>)[type];
  return !users || users.some((t) => asked.includes(t));
}

/** The narrowest scopes for these types: read access to each (SMART v1 `system/` form). */
export function scopesFor(types: readonly string[]): string {
  return types.map((type) => `system/${type}.read`).join(' ');
}
