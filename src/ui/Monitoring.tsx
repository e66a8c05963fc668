import type { AnalyteTrend, DataGap, MonitoringEntry, MonitoringSchedule } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { SourceLine } from './SourceLine';
import { agoWording, daysBetween, resultWording, shortSource } from './format';
import { MONITORING_WORDING } from './labels';
import { entriesInWorkOrder } from './monitoring-order';
import { abnormalHeadline, labsProblem } from './monitoring-text';

export { entriesInWorkOrder };

/** "since 2026-08-01 (week 18)": how long the patient has been on it, from the real start. */
export function sinceWording(schedule: MonitoringSchedule, asOf: string): string {
  if (!schedule.start) return 'start date not recorded';
  const days = daysBetween(schedule.start, asOf);
  return days !== undefined && days >= 0 ? `since ${schedule.start} (week ${Math.floor(days / 7) + 1})` : `since ${schedule.start}`;
}

/** "Due 2026-11-13 · LDL 116 mg/dL, 19 days ago"; the engine's own line ("overdue since …") when it has one. */
export function entryLine(entry: MonitoringEntry, asOf: string): string {
  // With the values listed below it, a done entry needs only when; without them, the result that counted.
  if (entry.status === 'done' && entry.result && entry.values?.length) return `Due ${entry.due} · done ${entry.result.date?.slice(0, 10) ?? ''}${entry.result.date ? `, ${agoWording(entry.result.date, asOf)}` : ''}${entry.preliminary ? ' (preliminary)' : ''}`;
  if (entry.status === 'done' && entry.result) return `Due ${entry.due} · ${resultWording(entry.result)}, ${agoWording(entry.result.date, asOf)}`;
  if (entry.status === 'abnormal' && entry.abnormal) return `Due ${entry.due} · ${entry.abnormal.analyte} ${entry.abnormal.value}${entry.abnormal.threshold ? `, ${entry.abnormal.threshold}` : ''}`;
  if (entry.detail) return entry.detail.charAt(0).toUpperCase() + entry.detail.slice(1);
  return `Due ${entry.due}`;
}

/** "CBC at week 12 (since 2026-11-13, 22 days)", the date kept on one line. */
function LateWording({ entry }: { entry: MonitoringEntry }) {
  const late = entry.daysLate !== undefined && entry.daysLate > 0;
  return (
    <>
      {entry.label} ({late ? 'since ' : ''}
      <span className="trend__point">{entry.due}</span>
      {late ? `, ${entry.daysLate} day${entry.daysLate === 1 ? '' : 's'}` : ''})
    </>
  );
}

/**
 * The first screen of the monitoring view answers the two questions a nurse asks (R3.1, R3.2):
 * is anything abnormal that the prescriber must hear about today, and what is overdue.
 */
export function MonitoringAnswers({ schedule, dataGaps = [] }: { schedule: MonitoringSchedule; dataGaps?: readonly DataGap[] }) {
  const abnormal = schedule.abnormal ?? [];
  const problem = labsProblem(dataGaps);
  const overdue = schedule.entries.filter((e) => e.status === 'overdue');
  const open = schedule.entries.filter((e) => e.status === 'due' || e.status === 'incomplete');
  // What could not be checked is never "nothing overdue".
  const unchecked = schedule.entries.filter((e) => e.status === 'unknown');
  return (
    <section className="answers" aria-label="Since the start" data-testid="monitoring-answers">
      {abnormal.length === 0 && problem ? (
        <p className="answer answer--unknown" data-testid="answer-abnormal">
          <span className="answer__icon" aria-hidden="true">?</span> {abnormalHeadline(schedule, problem)}
        </p>
      ) : abnormal.length === 0 ? (
        <p className="answer answer--ok" data-testid="answer-abnormal">
          <span className="answer__icon" aria-hidden="true">✓</span> {abnormalHeadline(schedule)}
        </p>
      ) : (
        <div className="answer answer--abnormal" data-testid="answer-abnormal">
          <p className="answer__title">
            <span className="answer__icon" aria-hidden="true">!</span> {abnormalHeadline(schedule)}
          </p>
          <ul className="answer__list">
            {abnormal.map((r) => (
              <li key={`${r.analyte}-${r.evidence.reference ?? r.value}`} className="answer__item" data-testid={`abnormal-${r.analyte.toLowerCase()}`}>
                <strong>
                  {r.analyte} {r.value}
                </strong>
                {r.evidence.date ? ' ' : ''}
                {r.evidence.date ? <span className="trend__point">({r.evidence.date.slice(0, 10)}{r.preliminary ? ', preliminary' : ''})</span> : null}
                {r.threshold ? `, ${r.threshold}` : ''} — <strong className="answer__action">{r.action === 'review' ? 'needs review: read it in the chart' : `label: ${actionWords(r.text)}`}</strong>
                {r.urgent ? '. Tell the prescriber today.' : '.'}
                <SourceLine source={r.source} links={r.links} inline />
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className={`answer ${overdue.length ? 'answer--overdue' : unchecked.length ? 'answer--unknown' : 'answer--ok'}`} data-testid="answer-overdue">
        <span className="answer__icon" aria-hidden="true">{overdue.length ? '!' : unchecked.length ? '?' : '✓'}</span>{' '}
        {overdue.length || unchecked.length ? (
          <>
            {overdue.length ? (
              <>
                <strong>Overdue:</strong>{' '}
                {overdue.map((e, i) => (
                  <span key={e.id}>
                    {i > 0 ? '; ' : ''}
                    <LateWording entry={e} />
                  </span>
                ))}
              </>
            ) : null}
            {overdue.length && unchecked.length ? ' · ' : null}
            {unchecked.length ? (
              <>
                <strong>Could not check:</strong> {unchecked.map((e) => e.label).join('; ')} (look in the chart)
              </>
            ) : null}
          </>
        ) : (
          'Nothing overdue'
        )}
        {open.length ? (
          <>
            {' · '}
            <strong>Due now:</strong> {open.map((e) => e.label).join('; ')}
          </>
        ) : null}
      </p>
    </section>
  );
}

/** The label's action as the result's text gives it ("discontinue", "interrupt until recovered"). */
function actionWords(text: string): string {
  const m = / — label: ([^;]+)/.exec(text);
  return m ? m[1]! : 'see the label';
}

/** A small line through the last values; the words beside it are its text equivalent. */
export function Sparkline({ trend }: { trend: AnalyteTrend }) {
  const values = trend.points.map((p) => p.number).filter((n): n is number => n !== undefined);
  if (values.length < 2) return null;
  const [w, h, pad] = [48, 16, 2];
  // A change of a few percent should look flat: the scale spans at least a quarter of the largest value.
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = Math.max(high - low, Math.abs(high) * 0.25) || 1;
  const min = (low + high) / 2 - span / 2;
  const points = values.map((v, i) => `${(pad + (i * (w - 2 * pad)) / (values.length - 1)).toFixed(1)},${(h - pad - ((v - min) / span) * (h - 2 * pad)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true" focusable="false">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

export function Trends({ trends }: { trends: readonly AnalyteTrend[] }) {
  if (trends.length === 0) return null;
  return (
    <div className="trends" data-testid="trends">
      <h3 className="trends__heading">Trends (last three values)</h3>
      <ul className="trends__list">
        {trends.map((t) => (
          <li key={t.analyte} className="trend" data-testid={`trend-${t.analyte.toLowerCase()}`}>
            <Sparkline trend={t} />
            <span className="trend__words">
              {/* The engine's words, with each "value (date)" kept on one line. */}
              {t.words.slice(0, t.words.indexOf(': ') + 2)}
              {t.points.map((p, i) => (
                <span key={`${p.date}-${i}`}>
                  {i > 0 ? ' → ' : ''}
                  <span className="trend__point">
                    {p.value} ({p.date}
                    {p.preliminary ? ', preliminary' : ''})
                  </span>
                </span>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The schedule after the real start, for a patient already on a JAK inhibitor: abnormal and
 * overdue first, each with its due date, its last values beside the baseline and, once done, the
 * result that counted; then the short trends and the reassessment visits from the real start.
 */
export function Monitoring({ schedule, asOf }: { schedule: MonitoringSchedule; asOf: string }) {
  const source = shortSource(schedule.source);
  return (
    <section className="panel monitoring" aria-labelledby="monitoring-heading" data-testid="monitoring">
      <h2 id="monitoring-heading">Monitoring schedule</h2>
      {schedule.doseIncrease ? (
        <p className="monitoring__dose" data-testid="dose-increase">
          Dose increased {schedule.doseIncrease.date}
          {schedule.doseIncrease.from ? ` from ${schedule.doseIncrease.from}` : ''}
          {schedule.doseIncrease.to ? ` to ${schedule.doseIncrease.to}` : ''}
        </p>
      ) : null}
      {schedule.entries.length === 0 ? (
        <p className="muted">No laboratory checks in the label’s schedule for this medicine.</p>
      ) : (
        <ul className="schedule">
          {entriesInWorkOrder(schedule.entries).map((entry) => {
            const wording = MONITORING_WORDING[entry.status] ?? { text: entry.status, icon: '?' };
            const evidence = entry.abnormal ? [entry.abnormal.evidence] : entry.result ? [entry.result] : [];
            return (
              <li key={entry.id} className={`item item--monitor-${entry.status}`} data-testid={`monitoring-${entry.id}`}>
                <div className="item__head">
                  <span className={`status status--monitor-${entry.status}`}>
                    <span className="status__icon" aria-hidden="true">
                      {wording.icon}
                    </span>
                    <span className="status__text">{wording.text}</span>
                  </span>
                  <h3 className="item__label">{entry.label}</h3>
                </div>
                <p className="item__result">{entryLine(entry, asOf)}</p>
                {entry.status === 'incomplete' || ((entry.status === 'overdue' || entry.status === 'due') && entry.missing?.length && entry.missing.length < (entry.values?.length ?? 0)) ? (
                  <p className="item__missing">Still needed: {entry.missing?.join(', ')}</p>
                ) : null}
                {entry.values?.length ? (
                  <ul className="values" aria-label={`${entry.label}: last values and baseline`}>
                    {entry.values.map((v) => (
                      <li key={v.name} className="values__row">
                        <span className="values__name">{v.name}</span> {v.last?.value ?? 'none since the start'}
                        {v.last?.note?.includes('preliminary') ? ' (preliminary)' : ''}
                        <span className="values__baseline"> · baseline {v.baseline?.value ?? 'not recorded'}</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {evidence.length ? <EvidenceDisclosure evidence={evidence} source={entry.abnormal?.source ?? entry.source} links={entry.abnormal ? entry.abnormal.links : entry.links} subject={entry.label} /> : null}
              </li>
            );
          })}
        </ul>
      )}
      <Trends trends={schedule.trends ?? []} />
      {schedule.visits.length > 0 ? (
        <p className="monitoring__visits">
          <span className="label">Reassessment visits:</span> {schedule.visits.map((v) => `week ${v.week} ${v.date}`).join(' · ')}
        </p>
      ) : null}
      {source ? <SourceLine source={schedule.source} links={schedule.links} /> : null}
    </section>
  );
}
