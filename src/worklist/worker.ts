/**
 * A worker thread of pass two: it is handed bucket files one at a time, groups each bucket's
 * lines by patient, assesses one patient at a time and sends the rows back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readLines } from '../bulk/ndjson';
import { assessPatient, type AssessSettings } from './assess-patient';
import type { WorklistRow } from './row';

export interface WorkerInit {
  settings: AssessSettings;
}

export type ToWorker = { bucket: string } | { stop: true };

export interface BucketResult {
  bucket: string;
  rows: WorklistRow[];
  /** Patients not in the Patient file, and how many resources named them. */
  orphans: { patients: number; resources: number };
  failures: Array<{ patientId: string; message: string }>;
}

export type FromWorker = { result: BucketResult } | { error: string; bucket: string };

async function assessBucket(path: string, settings: AssessSettings): Promise<BucketResult> {
  const byPatient = new Map<string, string[]>();
  await readLines(path, {
    line(text) {
      const tab = text.indexOf('\t');
      const key = text.slice(0, tab);
      const rest = text.slice(tab + 1);
      const lines = byPatient.get(key);
      if (lines) lines.push(rest);
      else byPatient.set(key, [rest]);
    },
  }, Number.MAX_SAFE_INTEGER);
  const result: BucketResult = { bucket: path, rows: [], orphans: { patients: 0, resources: 0 }, failures: [] };
  for (const [key, lines] of byPatient) {
    byPatient.delete(key); // let this patient's text go as soon as it is assessed
    const outcome = assessPatient(key, lines, settings);
    if (outcome.kind === 'row') result.rows.push(outcome.row);
    else if (outcome.kind === 'orphan') {
      result.orphans.patients += 1;
      result.orphans.resources += outcome.resources;
    } else {
      result.rows.push(outcome.row);
      result.failures.push({ patientId: outcome.row.patientId, message: outcome.message });
    }
  }
  return result;
}

if (parentPort) {
  const port = parentPort;
  const { settings } = workerData as WorkerInit;
  port.on('message', (message: ToWorker) => {
    if ('stop' in message) {
      port.close();
      return;
    }
    assessBucket(message.bucket, settings).then(
      (result) => port.postMessage({ result } satisfies FromWorker),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error), bucket: message.bucket } satisfies FromWorker),
    );
  });
}
