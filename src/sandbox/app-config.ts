/**
 * The app's smart-config.json as the sandbox serves it: the file the app ships (public/ in
 * development, the built folder with --dist) plus the sandbox's own FHIR base under `issuers`,
 * on both loopback names. The app launches from listed FHIR servers only; this is how the
 * sandbox lists itself without the shipped file naming a local address.
 */
import { readFile } from 'node:fs/promises';
import { LOOPBACK_HOSTNAMES } from './clients';

export const SANDBOX_CLIENT_ID = 'jak-readiness';

/** The sandbox's FHIR base on each loopback name, e.g. `http://127.0.0.1:5173/fhir`. */
export function sandboxIssuers(port: number): string[] {
  return LOOPBACK_HOSTNAMES.map((host) => `http://${host}:${port}/fhir`);
}

/** The file's JSON with the sandbox issuers added (a file that is not a JSON object is served as is). */
export function withSandboxIssuers(fileText: string, issuers: readonly string[]): string {
  let json: unknown;
  try {
    json = JSON.parse(fileText);
  } catch {
    return fileText;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fileText;
  const config = json as Record<string, unknown>;
  const listed = typeof config.issuers === 'object' && config.issuers !== null && !Array.isArray(config.issuers) ? (config.issuers as Record<string, unknown>) : {};
  const added = Object.fromEntries(issuers.map((iss) => [iss, { clientId: SANDBOX_CLIENT_ID }]));
  return `${JSON.stringify({ ...config, issuers: { ...listed, ...added } }, null, 2)}\n`;
}

/** Reads the app's file and adds the issuers; undefined when the app has no such file. */
export async function sandboxSmartConfig(file: string, issuers: readonly string[]): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : withSandboxIssuers(text, issuers);
}
