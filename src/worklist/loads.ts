/**
 * How each resource type loaded for the whole export, so that a report says "could not check"
 * instead of "missing" or "none" when the export does not hold the data.
 *
 * Decision (the spec is silent): a type with no file counts as exported-and-empty only when the
 * folder's manifest.json shows the export asked for it (Bulk Data servers write no file for a
 * type with no resources). Without a manifest, a missing file means the type was not exported:
 * what depends on it is "could not check", never "none found".
 */
import { EXPORT_TYPES, type ExportFolder } from '../bulk/export-folder';
import { LOADED_RESOURCE_TYPES, type LoadedResourceType, type LoadStatus } from '../engine/record';

export const WORKLIST_TYPES: readonly LoadedResourceType[] = LOADED_RESOURCE_TYPES;

/** An error the server wrote into the export (an OperationOutcome file), and the type it concerns when that can be told. */
export interface ExportError {
  text: string;
  type?: string;
}

export interface TypeLoads {
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  /** For the summary: why a type counts as it does when it has no file. */
  notes: string[];
  /** Why the export is incomplete (the worklist is written, but the exit status says so). */
  incomplete: string[];
  /** The export failed for Patient and no Patient file is left: there can be no worklist. */
  patientFailed?: string;
}

/** The one type of the worklist's a text names as a whole word ("Failed to export 3.Condition.ndjson"), if exactly one. */
export function typeNamed(text: string): string | undefined {
  const found = EXPORT_TYPES.filter((t) => new RegExp(`(?<![A-Za-z])${t}(?![A-Za-z])`).test(text));
  return found.length === 1 ? found[0] : undefined;
}

export function exportLoads(folder: ExportFolder, exportErrors: readonly ExportError[]): TypeLoads {
  const loads: TypeLoads['loads'] = {};
  const notes: string[] = [];
  const incomplete: string[] = [];
  const present = new Set(folder.files.map((f) => f.type));
  const notAsked = new Map((folder.manifest?.typesNotAsked ?? []).map((t) => [t.type, t.reason]));
  const failedFor = new Map<string, string[]>();
  for (const e of exportErrors) if (e.type) failedFor.set(e.type, [...(failedFor.get(e.type) ?? []), e.text]);
  const failure = (type: string) => {
    const texts = failedFor.get(type)!;
    return `the export failed for ${type}${present.has(type as LoadedResourceType) ? ' (some of its files)' : ''}: ${texts[0]}${texts.length > 1 ? ` (and ${texts.length - 1} more)` : ''}`;
  };
  let patientFailed: string | undefined;
  for (const type of WORKLIST_TYPES) {
    if (failedFor.has(type)) {
      // True to the manifest: the server says this type's export failed; its files (if any) hold only part.
      const reason = failure(type);
      incomplete.push(reason);
      if (type === 'Patient') {
        // A row exists only for a Patient that was read, so its own Patient data is whole: the loss is the missing rows.
        loads[type] = { state: 'complete' };
        if (present.has('Patient')) notes.push(`${reason}: patients in the failed files are not on the list`);
        else patientFailed = reason;
        continue;
      }
      loads[type] = present.has(type) ? { state: 'truncated', reason } : { state: 'failed', reason };
      notes.push(`${reason}: what depends on it is "could not check"`);
      continue;
    }
    if (present.has(type)) {
      loads[type] = { state: 'complete' };
      continue;
    }
    const asked = notAsked.get(type);
    if (asked) {
      loads[type] = { state: 'failed', reason: asked };
      notes.push(`${asked}: what depends on it is "could not check"`);
      continue;
    }
    const requested = folder.manifest ? !folder.manifest.requestedTypes || folder.manifest.requestedTypes.includes(type) : false;
    if (requested) {
      loads[type] = { state: 'complete' };
      notes.push(`no ${type} file: the export's manifest asked for ${type}, so there are none`);
    } else {
      const reason = folder.manifest ? `${type} was not part of the export` : `no ${type} file in the export folder`;
      loads[type] = { state: 'failed', reason };
      notes.push(`${reason}: what depends on it is "could not check"`);
    }
  }
  // An error that names no type may concern any; one that names a type the worklist does not read concerns none of its data.
  const untyped = exportErrors.filter((e) => !e.type);
  if (untyped.length > 0) {
    const reason = `the server reported ${untyped.length === 1 ? 'an error' : `${untyped.length} errors`} during the export (${untyped[0]!.text}${untyped.length > 1 ? '; …' : ''})`;
    incomplete.push(reason);
    for (const type of WORKLIST_TYPES) {
      const current = loads[type]!;
      loads[type] = current.state === 'complete' ? { state: 'truncated', reason } : current;
    }
  }
  if (failedFor.has('Medication')) {
    const reason = failure('Medication');
    incomplete.push(reason);
    notes.push(`${reason}: orders naming a Medication may show no drug`);
    for (const type of ['MedicationRequest', 'MedicationStatement'] as const) {
      const current = loads[type]!;
      loads[type] = current.state === 'complete' ? { state: 'truncated', reason } : current;
    }
  }
  return { loads, notes, incomplete, ...(patientFailed ? { patientFailed } : {}) };
}

/** Adds whole-export faults (a file cut short, unreadable lines of unknown patients) to the loads. */
export function withFaults(
  loads: Partial<Record<LoadedResourceType, LoadStatus>>,
  faults: Partial<Record<string, string[]>>,
): Partial<Record<LoadedResourceType, LoadStatus>> {
  const out = { ...loads };
  for (const type of WORKLIST_TYPES) {
    const messages = faults[type];
    if (!messages?.length) continue;
    const current = out[type];
    const reason = messages.join('; ');
    out[type] = !current || current.state === 'complete' ? { state: 'truncated', reason } : ({ ...current, reason: `${current.reason}; ${reason}` } as LoadStatus);
  }
  return out;
}
