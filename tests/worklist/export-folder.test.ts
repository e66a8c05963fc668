/** Which files of a bulk-export folder hold which type: the names servers and clients use. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportFolderError, readExportFolder } from '../../src/bulk/export-folder';

describe('an export folder', () => {
  it('recognises Type.ndjson, numbered names (.1 -1 _1 and 1.Type), gzip, error files and types it does not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jak-folder-'));
    const names = [
      'Patient.ndjson', 'Observation.2.ndjson', 'Observation.10.ndjson', 'Observation-3.ndjson', 'Condition_1.ndjson',
      '1.MedicationRequest.ndjson', 'Immunization.ndjson.gz', 'Medication.ndjson', 'OperationOutcome.1.ndjson',
      'Encounter.ndjson', 'notes.txt', 'patient.ndjson', 'manifest.json',
    ];
    for (const name of names) writeFileSync(join(dir, name), name === 'manifest.json' ? JSON.stringify({ request: 'https://x/fhir/Group/g/$export?_type=Patient,Observation' }) : '\n');
    mkdirSync(join(dir, 'Observation.99.ndjson')); // a folder with a file's name is not a file
    const folder = readExportFolder(dir);
    expect(folder.files.map((f) => [f.name, f.type, f.gzip])).toEqual([
      ['1.MedicationRequest.ndjson', 'MedicationRequest', false],
      ['Condition_1.ndjson', 'Condition', false],
      ['Immunization.ndjson.gz', 'Immunization', true],
      ['Medication.ndjson', 'Medication', false],
      ['Observation-3.ndjson', 'Observation', false],
      ['Observation.2.ndjson', 'Observation', false],
      ['Observation.10.ndjson', 'Observation', false],
      ['Patient.ndjson', 'Patient', false],
    ]);
    expect(folder.errorFiles.map((p) => p.slice(dir.length + 1))).toEqual(['OperationOutcome.1.ndjson']);
    expect(folder.ignored).toEqual(['Encounter.ndjson']);
    expect(folder.manifest).toMatchObject({ requestedTypes: ['Patient', 'Observation'] });
  });

  it('says why a folder cannot be read', () => {
    expect(() => readExportFolder(join(tmpdir(), 'no-such-folder-jak'))).toThrow(ExportFolderError);
    expect(() => readExportFolder(join(tmpdir(), 'no-such-folder-jak'))).toThrow(/no such folder/);
  });
});
