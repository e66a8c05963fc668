/** What went wrong while reading an export, kept for the summary: the first few in full, all counted. */
export interface LineProblem {
  file: string;
  line?: number;
  message: string;
}

export const PROBLEMS_KEPT = 50;

export class ProblemLog {
  readonly first: LineProblem[] = [];
  count = 0;

  add(problem: LineProblem): void {
    this.count += 1;
    if (this.first.length < PROBLEMS_KEPT) this.first.push(problem);
  }
}

/** "Observation.ndjson line 12: not valid JSON (Unexpected end of JSON input)". */
export function describeProblem(p: LineProblem): string {
  return `${p.file}${p.line !== undefined ? ` line ${p.line}` : ''}: ${p.message}`;
}
