import { useMemo } from 'react';
import type { ReadinessReport } from '../contract/report';
import { glossaryLine } from './glossary';
import { reportAsNote } from './note';

/** The abbreviations the page uses, spelled out once (R3.8), on screen and on paper. */
export function AbbreviationsLine({ report, therapyLabel }: { report: ReadinessReport; therapyLabel: string }) {
  const line = useMemo(() => glossaryLine(reportAsNote(report, therapyLabel)), [report, therapyLabel]);
  return line ? <p className="glossary muted" data-testid="glossary">{line}</p> : null;
}
