/** Options shared by the single-patient report and the worklist: --now, --therapy, --config. */
import { ConfigError, parseSiteConfig, type ConfigOverrides } from '../engine/config';
import { THERAPY_IDS, type TherapyId } from '../contract/report';
import { UsageError } from './args';

export function checkNow(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UsageError(`--now must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

export function checkTherapy(value: string): TherapyId {
  if (!THERAPY_IDS.includes(value as TherapyId)) throw new UsageError(`unknown therapy "${value}" (one of: ${THERAPY_IDS.join(', ')})`);
  return value as TherapyId;
}

export function readJson(path: string, what: string, readFile: (path: string) => string): unknown {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON (${(error as Error).message})`);
  }
}

export function readSiteConfig(path: string, readFile: (path: string) => string): ConfigOverrides {
  const json = readJson(path, 'site configuration', readFile);
  try {
    return parseSiteConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`site configuration ${path}: ${error.message}`);
    throw error;
  }
}

/** Today in the machine's time zone: the clinic's day, not UTC's. */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
