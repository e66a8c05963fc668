import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { BundleError, readBundle, resourcesFromBundle, selectPatient } from '../../../src/engine/normalise/bundle';
import { fullUrlOf } from '../../../src/engine/normalise/references';

const patient = (id: string): FhirResource => ({ resourceType: 'Patient', id });

function bundle(type: string, entry: unknown[]): unknown {
  return { resourceType: 'Bundle', type, entry };
}

function errorOf(fn: () => unknown): BundleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('expected a BundleError');
}

describe('resourcesFromBundle', () => {
  it.each(['collection', 'transaction', 'batch', 'searchset', 'document', 'message', 'history'])(
    'reads the entries of a %s bundle',
    (type) => {
      const resources = resourcesFromBundle(
        bundle(type, [{ fullUrl: 'urn:uuid:p', resource: patient('p') }, { resource: { resourceType: 'Observation', id: 'o' } }]),
      );
      expect(resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual(['Patient/p', 'Observation/o']);
    },
  );

  it('reads a transaction-response, skipping entries that carry only a response', () => {
    const resources = resourcesFromBundle(
      bundle('transaction-response', [
        { response: { status: '201 Created', location: 'Patient/p/_history/1' } },
        { resource: patient('p'), response: { status: '200 OK' } },
      ]),
    );
    expect(resources).toHaveLength(1);
  });

  it('reads bundles nested in a message', () => {
    const inner = bundle('document', [{ fullUrl: 'urn:uuid:1', resource: patient('p') }]);
    const resources = resourcesFromBundle(
      bundle('message', [{ resource: { resourceType: 'MessageHeader', id: 'h' } }, { resource: inner }]),
    );
    expect(resources.map((r) => r.resourceType)).toEqual(['MessageHeader', 'Patient']);
  });

  it('keeps each entry fullUrl for reference resolution', () => {
    const p = patient('p');
    const { fullUrls } = readBundle(bundle('collection', [{ fullUrl: 'urn:uuid:abc', resource: p }]));
    expect(fullUrls.get('urn:uuid:abc')).toBe(p);
    expect(fullUrlOf(p)).toBe('urn:uuid:abc');
  });

  it('skips null and malformed entries', () => {
    const resources = resourcesFromBundle(
      bundle('collection', [null, 3, {}, { resource: null }, { resource: { id: 'no-type' } }, { resource: patient('p') }]),
    );
    expect(resources).toHaveLength(1);
  });

  it('accepts a bundle without entries', () => {
    expect(resourcesFromBundle({ resourceType: 'Bundle', type: 'searchset', total: 0 })).toEqual([]);
  });

  it.each([
    [null, /null/],
    [[1, 2], /array/],
    ['text', /string/],
    [{ resourceType: 'Patient', id: 'p' }, /Patient resource/],
    [{ foo: 1 }, /without resourceType/],
  ])('rejects %j as not-a-bundle with a clear message', (json, message) => {
    const error = errorOf(() => resourcesFromBundle(json));
    expect(error.kind).toBe('not-a-bundle');
    expect(error.message).toMatch(/not a FHIR Bundle/);
    expect(error.message).toMatch(message);
  });
});

describe('selectPatient', () => {
  it('returns the only patient', () => {
    expect(selectPatient([patient('a'), { resourceType: 'Observation', id: 'o' } as FhirResource]).id).toBe('a');
  });

  it('treats two copies of one patient as one patient', () => {
    expect(selectPatient([patient('a'), patient('a')]).id).toBe('a');
  });

  it('chooses by id when several patients are present', () => {
    expect(selectPatient([patient('a'), patient('b')], 'b').id).toBe('b');
  });

  it.each<[string, FhirResource[], string | undefined, string, RegExp]>([
    ['no patient', [], undefined, 'no-patient', /no Patient/],
    ['several patients', [patient('a'), patient('b')], undefined, 'several-patients', /2 patients \(a, b\)/],
    ['unknown id', [patient('a')], 'zz', 'patient-not-found', /Patient zz is not in the file \(it holds: a\)/],
  ])('%s -> BundleError', (_name, resources, id, kind, message) => {
    const error = errorOf(() => selectPatient(resources, id));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n/);
  });
});
