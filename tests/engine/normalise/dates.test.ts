import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { addDays, ageOn, daysBetween, observationDate, toDay } from '../../../src/engine/normalise/dates';

describe('toDay', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024-03-05T23:30:00-05:00', '2024-03-05'],
    ['2024-03-05T01:00:00Z', '2024-03-05'],
    ['2024-03-05T10:31:58.123+02:00', '2024-03-05'],
    ['2024', '2024'],
    ['2024-03', '2024-03'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %s as %s', (input, day) => {
    expect(toDay(input)).toBe(day);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', 'yesterday', '', '24-03-05', '2024-03-05T25:00:00Z'])(
    'rejects the impossible date %j',
    (input) => {
      expect(toDay(input)).toBeUndefined();
    },
  );

  it('never throws on non-strings', () => {
    expect(toDay(undefined)).toBeUndefined();
    expect(toDay(20240305 as unknown as string)).toBeUndefined();
  });
});

describe('date arithmetic', () => {
  it('counts whole days, partial dates at their first day', () => {
    expect(daysBetween('2024-01-01', '2024-03-01')).toBe(60);
    expect(daysBetween('2024-03-01T23:59:00Z', '2024-03-02')).toBe(1);
    expect(daysBetween('2024-02', '2024-02-15')).toBe(14);
    expect(daysBetween('2024-03-10', '2024-03-01')).toBe(-9);
    expect(Number.isNaN(daysBetween('garbage', '2024-03-01'))).toBe(true);
  });

  it('computes age in completed years', () => {
    expect(ageOn('2000-06-15', '2026-06-14')).toBe(25);
    expect(ageOn('2000-06-15', '2026-06-15')).toBe(26);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000', '2026-01-01')).toBe(26);
    expect(ageOn(undefined, '2026-01-01')).toBeNull();
    expect(ageOn('2030-01-01', '2026-01-01')).toBeNull();
  });

  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2026-11-27', 28)).toBe('2026-12-25');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('observationDate', () => {
  const base = { resourceType: 'Observation', status: 'final', code: { text: 'x' } } as Observation;

  it.each<[string, Partial<Observation>, { date?: string; fromIssued: boolean }]>([
    ['effectiveDateTime first', { effectiveDateTime: '2024-05-01T08:00:00Z', issued: '2024-05-03T00:00:00Z' }, { date: '2024-05-01', fromIssued: false }],
    ['effectivePeriod end before start', { effectivePeriod: { start: '2024-04-01', end: '2024-04-02' } }, { date: '2024-04-02', fromIssued: false }],
    ['effectivePeriod start alone', { effectivePeriod: { start: '2024-04-01' } }, { date: '2024-04-01', fromIssued: false }],
    ['effectiveInstant', { effectiveInstant: '2024-04-05T10:00:00Z' }, { date: '2024-04-05', fromIssued: false }],
    ['issued as the last resort, flagged', { issued: '2024-04-07T10:00:00Z' }, { date: '2024-04-07', fromIssued: true }],
    ['no date at all', {}, { fromIssued: false }],
    ['an invalid effective date falls through to issued', { effectiveDateTime: '2024-02-30', issued: '2024-03-01T00:00:00Z' }, { date: '2024-03-01', fromIssued: true }],
  ])('%s', (_name, fields, expected) => {
    expect(observationDate({ ...base, ...fields } as Observation)).toEqual(expected);
  });
});
