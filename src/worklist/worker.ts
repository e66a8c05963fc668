/**
 * A worklist worker thread. Pass one: it is handed slices of the export and appends their lines
 * to its own part of every bucket. Pass two: it is handed buckets, groups each bucket's lines by
 * patient, assesses one patient at a time and sends the rows back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readLines } from '../bulk/ndjson';
import { assessPatient, type AssessSettings } from './assess-patient';
import { Partitioner, type MedicationIndex, type Slice, type SliceResult } from './partition';
import type { WorklistRow } from './row';

export interface WorkerInit {
  workDir: string;
  part: number;
  buckets: number;
  medications: MedicationIndex;
}

export type ToWorker =
  | { kind: 'slice'; slice: Slice; sliceNo: number }
  | { kind: 'close-partition' }
  | { kind: 'bucket'; parts: string[]; settings: AssessSettings };

export interface BucketResult {
  rows: WorklistRow[];
  /** Patients not in the Patient file, and how many resources named them. */
  orphans: { patients: number; resources: number };
  failures: Array<{ patientId: string; message: string }>;
  /** Repeated resource ids, by pass-one slice. */
  repeated: Record<number, number>;
}

export type FromWorker =
  | { kind: 'slice'; result: SliceResult }
  | { kind: 'closed'; patientKeys: string[] }
  | { kind: 'bucket'; result: BucketResult }
  | { kind: 'error'; message: string };

async function assessBucket(parts: string[], settings: AssessSettings): Promise<BucketResult> {
  const byPatient = new Map<string, string[]>();
  for (const part of parts) {
    await readLines(part, {
      line(text) {
        const tab = text.indexOf('\t');
        const key = text.slice(0, tab);
        const rest = text.slice(tab + 1);
        const lines = byPatient.get(key);
        if (lines) lines.push(rest);
        else byPatient.set(key, [rest]);
      },
    }, { maxLineBytes: Number.MAX_SAFE_INTEGER });
  }
  const result: BucketResult = { rows: [], orphans: { patients: 0, resources: 0 }, failures: [], repeated: {} };
  for (const [key, lines] of byPatient) {
    byPatient.delete(key); // let this patient's text go as soon as it is assessed
    const outcome = assessPatient(key, lines, settings);
    if (outcome.kind === 'row') {
      result.rows.push(outcome.row);
      for (const [slice, n] of Object.entries(outcome.repeated ?? {})) result.repeated[Number(slice)] = (result.repeated[Number(slice)] ?? 0) + n;
    }
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
  const init = workerData as WorkerInit;
  let partitioner: Partitioner | undefined;
  const handle = async (message: ToWorker): Promise<FromWorker> => {
    switch (message.kind) {
      case 'slice':
        partitioner ??= new Partitioner(init.workDir, init.part, init.buckets, init.medications);
        return { kind: 'slice', result: await partitioner.run(message.slice, message.sliceNo) };
      case 'close-partition': {
        const patientKeys = partitioner?.close() ?? [];
        partitioner = undefined;
        return { kind: 'closed', patientKeys };
      }
      case 'bucket':
        return { kind: 'bucket', result: await assessBucket(message.parts, message.settings) };
    }
  };
  port.on('message', (message: ToWorker) => {
    handle(message).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromWorker),
    );
  });
}
