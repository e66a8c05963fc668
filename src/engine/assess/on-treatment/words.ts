/** Monitoring statuses inside a sentence ("CBC at week 4 overdue"): the engine's own short words. */
export const MONITORING_WORDING_PLAIN: Readonly<Record<string, string>> = {
  abnormal: 'abnormal', overdue: 'overdue', due: 'due', incomplete: 'incomplete', unknown: 'could not be checked', 'not-yet': 'not yet due', done: 'done',
};
