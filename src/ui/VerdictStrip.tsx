import type { AgentVerdict, TherapyId } from '../contract/report';
import { ACTION_WORDING, VERDICT_WORDING } from './labels';

interface VerdictStripProps {
  verdicts: readonly AgentVerdict[];
  /** The planned therapy: one agent, or a group (oral/topical), in which case no row is chosen. */
  therapy: TherapyId;
  onChoose(therapy: TherapyId): void;
}

/**
 * What the dermatologist reads first: one row per agent with its verdict as a symbol and a word,
 * and the short reasons. The rows are radio buttons: choosing one makes it the planned agent
 * (the cautions and to-do list below follow at once). Status is never colour alone.
 */
export function VerdictStrip({ verdicts, therapy, onChoose }: VerdictStripProps) {
  if (verdicts.length === 0) return null;
  return (
    <fieldset className="verdicts" data-testid="verdicts">
      <legend className="verdicts__legend">
        <span className="verdicts__title">Verdict per agent</span>{' '}
        <span className="verdicts__hint muted">choose one to plan it</span>
      </legend>
      <ul className="verdicts__list">
        {verdicts.map((verdict) => {
          const wording = VERDICT_WORDING[verdict.verdict] ?? { text: verdict.verdict, icon: '?' };
          const planned = verdict.therapy === therapy;
          return (
            <li key={verdict.therapy}>
              <label
                className={`verdict verdict--${verdict.verdict}${planned ? ' verdict--planned' : ''}`}
                data-testid={`verdict-${verdict.therapy}`}
              >
                <input
                  type="radio"
                  className="verdict__radio"
                  name="planned-agent"
                  value={verdict.therapy}
                  checked={planned}
                  onChange={() => onChoose(verdict.therapy)}
                />
                <span className="verdict__icon" aria-hidden="true">
                  {wording.icon}
                </span>
                <span className="verdict__body">
                  <span className="verdict__head">
                    <span className="verdict__agent">{verdict.label}</span>{' '}
                    <span className="verdict__word">
                      {wording.text}
                      {verdict.current && verdict.action ? <span className="verdict__action"> · {ACTION_WORDING[verdict.action]?.text ?? verdict.action}</span> : null}
                      {planned ? <span className="verdict__planned"> · planned</span> : null}
                    </span>
                  </span>
                  {verdict.reasons.length > 0 ? (
                    <span className="verdict__reasons">{verdict.reasons.join(' · ')}</span>
                  ) : null}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
