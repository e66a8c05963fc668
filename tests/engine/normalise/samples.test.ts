/**
 * Every real-world sample bundle in tests/fixtures/samples (see SOURCES.md there) goes through
 * the normaliser without throwing, and the counts match the folder's PROFILE.md, except where
 * the spec's status filters or a foreign subject reference remove a resource (noted per row).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecord } from '../../../src/engine/normalise/build-record';
import { readBundle } from '../../../src/engine/normalise/bundle';
import { convertQuantity } from '../../../src/engine/normalise/units';

const DIR = join(import.meta.dirname, '../../fixtures/samples');

/** [file, conditions, observations (not counting components), requests, statements, immunizations] */
const EXPECTED: ReadonlyArray<[string, number, number, number, number, number]> = [
  ['fhir-data-pipes-synthea-hiv__6d44fe03-2478-a82d-7495-3a7c433ed921.json', 3, 154, 7, 0, 65],
  ['inferno-uscore__355.json', 31, 140, 20, 0, 19], // PROFILE I20: one Immunization is not-done
  ['inferno-uscore__85.json', 13, 65, 13, 0, 20],
  ['ipsviewer__0fed5ebe-ca8f-4ad1-aba4-ddad45bd6cc8.json', 5, 77, 0, 7, 3],
  ['ipsviewer__12.json', 2, 0, 0, 2, 0], // PROFILE MR2: both requests name Patient/2, not Patient/12
  ['ipsviewer__249867.json', 1, 41, 0, 0, 4],
  ['ipsviewer__643d9295-7f32-4f55-a3b9-662924e52b0d.json', 0, 266, 20, 0, 23],
  ['ipsviewer__85822a88-55b1-460c-bb7b-e8fc22d8568f.json', 6, 38, 0, 5, 10],
  ['ipsviewer__bb6ed150-a432-5114-b40d-f5974d629d4e.json', 9, 0, 12, 0, 1], // PROFILE I2: one not-done
  ['ipsviewer__c06d8496-da94-514a-8f79-595b43895004.json', 2, 0, 3, 1, 11], // PROFILE C3: one entered-in-error
  ['ipsviewer__da6edc7d-d623-4ba4-b094-e8e39a1ec46c.json', 18, 5, 0, 8, 0],
  ['ipsviewer__eHXQnz7TxegLxLL92d2JKTw3.json', 4, 0, 2, 0, 4],
  ['smart-gsd-r4__2744ab6f-91dd-4e4f-8208-fe52ee2c27d1.json', 14, 317, 13, 0, 11],
  ['smart-gsd-r4__43400618-8533-406d-8303-af7cc5714549.json', 13, 90, 6, 0, 7],
  ['smart-gsd-r4__62acbbe9-7bae-4d33-b53f-a389c1a0e281.json', 10, 301, 19, 0, 11],
  ['smart-gsd-r4__6daf3d7c-1620-4d79-9396-990469306470.json', 7, 131, 6, 0, 33],
  ['smart-gsd-r4__7217c081-64cf-4e6c-b023-05c2e2dcf50c.json', 14, 480, 33, 0, 13],
  ['smart-gsd-r4__87c34098-98c4-4a22-904d-6a84082e8bc7.json', 5, 91, 4, 0, 17],
  ['smart-gsd-r4__9bf59715-246f-4ce2-85a6-58c1757f8d21.json', 15, 497, 25, 0, 13],
  ['smart-gsd-r4__bd6f9f37-7295-4cd6-b212-134afcef1253.json', 22, 662, 6, 0, 13],
  ['smart-gsd-r4__bf3cb50a-d753-4ddc-ad83-839250edcba9.json', 11, 121, 9, 0, 16],
  ['smart-gsd-r4__c34852c9-ffba-4bda-890a-eef4bc683e42.json', 13, 297, 55, 0, 10],
  ['smart-gsd-r4__c7792da2-a72f-4c0a-9dd8-05c5809008f1.json', 5, 82, 6, 0, 19],
  ['smart-gsd-r4__ec6a274e-5090-45c9-b153-e40418f6fa3d.json', 15, 268, 17, 0, 13],
  ['smart-gsd-r4__ffb8ae8f-8c7f-4475-8c42-d38419108e94.json', 13, 188, 99, 0, 12],
];

function recordOf(file: string) {
  const { resources, fullUrls } = readBundle(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  return buildRecord({ resources, fullUrls });
}

describe('sample bundles', () => {
  it.each(EXPECTED)('%s reads with the expected counts', (file, c, o, mr, ms, i) => {
    const record = recordOf(file);
    expect({
      conditions: record.conditions.length,
      observations: record.observations.filter((x) => x.componentOf === undefined).length,
      requests: record.medications.filter((m) => m.kind === 'MedicationRequest').length,
      statements: record.medications.filter((m) => m.kind === 'MedicationStatement').length,
      immunizations: record.immunizations.length,
    }).toEqual({ conditions: c, observations: o, requests: mr, statements: ms, immunizations: i });
    expect(record.medications.filter((m) => m.unresolved)).toEqual([]);
  });

  it('names the foreign-patient requests of the modified NHS IPS example', () => {
    expect(recordOf('ipsviewer__12.json').issues).toEqual([
      {
        resourceType: 'MedicationRequest',
        message: '2 MedicationRequest resources refer to Patient/2, not to this patient (Patient/12); ignored.',
      },
    ]);
  });

  it('resolves urn:uuid Medications of the ELGA document and reads aspirin 500 mg', () => {
    const aspirin = recordOf('ipsviewer__0fed5ebe-ca8f-4ad1-aba4-ddad45bd6cc8.json').medications.find((m) =>
      m.names.includes('aspirin tbl 500mg'),
    );
    expect(aspirin).toMatchObject({ strengthMg: 500, doseForm: 'Tablette', route: 'zum Einnehmen' });
  });

  it('converts every CBC, liver and eGFR result of a Synthea record', () => {
    const targets = { '718-7': 'g/dL', '777-3': 'cells/uL', '6690-2': 'cells/uL', '1742-6': 'U/L', '1920-8': 'U/L', '33914-3': 'mL/min/1.73m2' } as const;
    const record = recordOf('smart-gsd-r4__bd6f9f37-7295-4cd6-b212-134afcef1253.json');
    const measured = record.observations.flatMap((o) => {
      const code = o.codes[0]?.code as keyof typeof targets | undefined;
      return code && code in targets && o.quantity ? [convertQuantity(o.quantity, targets[code])] : [];
    });
    expect(measured.length).toBeGreaterThan(20);
    expect(measured.filter((v) => v === undefined)).toEqual([]);
  });
});
