/**
 * The export's files against its manifest: a server says in `count` how many resources each
 * file holds, and a file can still arrive short (a download that ended cleanly after an error
 * mid-stream, a copy cut at a line boundary). Such a file reads as valid NDJSON, so only the
 * count shows what is missing; a file the manifest lists that is not in the folder is the same.
 * Each mismatch is a gap for its whole type: any patient may have had resources in the missing
 * part, so no row may look complete.
 */
import type { ExportFolder } from '../bulk/export-folder';
import { isExportType } from '../bulk/export-types';

export interface ManifestGap {
  type: string;
  message: string;
}

const n = (value: number) => value.toLocaleString('en');

/** `lines`: the non-blank lines read from each file of the folder, by file name. */
export function checkAgainstManifest(folder: ExportFolder, lines: ReadonlyMap<string, number>): ManifestGap[] {
  const gaps: ManifestGap[] = [];
  for (const entry of folder.manifest?.output ?? []) {
    if (!isExportType(entry.type)) continue; // a type the worklist does not read
    if (!entry.name) {
      gaps.push({ type: entry.type, message: `${entry.expected} is listed in the export's manifest${entry.count !== undefined ? ` (${n(entry.count)} resources)` : ''} but is not in the folder` });
      continue;
    }
    if (entry.count === undefined) continue;
    const read = lines.get(entry.name);
    if (read === undefined || read === entry.count) continue;
    gaps.push({
      type: entry.type,
      message: read < entry.count
        ? `${entry.name} holds ${n(read)} of the ${n(entry.count)} resources the export's manifest lists: the file is short`
        : `${entry.name} holds ${n(read)} lines, more than the ${n(entry.count)} resources the export's manifest lists`,
    });
  }
  return gaps;
}
