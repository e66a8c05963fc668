/** Placeholder: `worklist --fhir` (Bulk Data kick-off with SMART Backend Services). */
import { UsageError } from './args';

export async function downloadGroupExport(_source: unknown, _progress: (text: string) => void): Promise<{ dir: string; cleanup: () => void }> {
  throw new UsageError('--fhir is not available yet');
}
