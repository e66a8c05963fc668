/**
 * The patient sheet (src/kb/patient-sheet.ts) for the current or planned agent: one printable
 * page in plain words, each statement numbered to its source at the bottom. While it is open it
 * is all the page shows, so "Print" prints the sheet alone.
 */
import { useEffect, useRef, useState } from 'react';
import type { AgentId, ReadinessReport, TherapyId } from '../contract/report';
import { PATIENT_SHEETS, SHEET_SOURCES, sheetSources, type SheetStatement } from '../kb/patient-sheet';
import { THERAPIES } from '../kb/therapies';

/** The agent the sheet is about: the one the patient is on, else the planned one, else the first of the planned group. */
export function sheetAgent(report: ReadinessReport, therapy: TherapyId): { agent: AgentId; choices: AgentId[] } {
  const current = report.monitoring?.therapy;
  const group = (THERAPIES[therapy]?.agents ?? []) as AgentId[];
  if (current) return { agent: current, choices: [] };
  return { agent: group[0] ?? 'abrocitinib', choices: group.length > 1 ? group : [] };
}

export function PatientSheet({ report, therapy, onClose }: { report: ReadinessReport; therapy: TherapyId; onClose(): void }) {
  const initial = sheetAgent(report, therapy);
  const [agent, setAgent] = useState<AgentId>(initial.agent);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const sheet = PATIENT_SHEETS[agent];
  const sources = sheetSources(sheet);
  const cite = (statement: { source: SheetStatement['source'] }) => <sup className="sheet__cite">{sources.indexOf(statement.source) + 1}</sup>;
  const name = report.patient.name?.trim();

  return (
    <article className="sheet" aria-labelledby="sheet-heading" data-testid="patient-sheet">
      <div className="sheet__controls no-print">
        <button type="button" className="button button--secondary" onClick={onClose}>
          Back to the checklist
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          Print this sheet
        </button>
        {initial.choices.length > 0 ? (
          <label className="sheet__choice">
            Medicine{' '}
            <select value={agent} onChange={(event) => setAgent(event.target.value as AgentId)}>
              {initial.choices.map((id) => (
                <option key={id} value={id}>
                  {PATIENT_SHEETS[id].medicine}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>

      <h1 id="sheet-heading" className="sheet__title" tabIndex={-1}>
        Your medicine: {sheet.medicine}
      </h1>
      {name ? <p className="sheet__for">For {name}</p> : null}
      <p>
        {sheet.about.text}
        {cite(sheet.about)}
      </p>

      <h2>Tests and why we do them</h2>
      {sheet.tests.length ? (
        <ul className="sheet__list">
          {sheet.tests.map((test) => (
            <li key={test.test}>
              <strong>{test.test}:</strong> {test.why}
              {cite(test)}
            </li>
          ))}
        </ul>
      ) : sheet.noTests ? (
        <p>
          {sheet.noTests.text}
          {cite(sheet.noTests)}
        </p>
      ) : null}

      <h2>What to avoid</h2>
      <ul className="sheet__list">
        {sheet.avoid.map((statement) => (
          <li key={statement.text}>
            {statement.text}
            {cite(statement)}
          </li>
        ))}
      </ul>

      <h2>Call us at once if you have</h2>
      <ul className="sheet__list">
        {sheet.reportAtOnce.map((statement) => (
          <li key={statement.text}>
            {statement.text}
            {cite(statement)}
          </li>
        ))}
      </ul>

      {/* The labels ask it of people who can become pregnant: left out for a patient recorded as male. */}
      {sheet.contraception && report.patient.sex !== 'male' ? (
        <>
          <h2>Pregnancy and birth control</h2>
          <p>
            {sheet.contraception.text}
            {cite(sheet.contraception)}
          </p>
        </>
      ) : null}

      <footer className="sheet__sources">
        <h2>Where this comes from</h2>
        <ol>
          {sources.map((id) => (
            <li key={id}>{SHEET_SOURCES[id]}</li>
          ))}
        </ol>
      </footer>
    </article>
  );
}
