/**
 * The site's windows and thresholds for the sidebar: `site-config.json` next to the app (read at
 * launch time, so a site changes policy without a rebuild). No file means the spec's defaults; a
 * file that cannot be used stops the app with its reason rather than silently using defaults.
 */
import { ConfigError, parseSiteConfig, type ConfigOverrides } from '../engine/config';

export async function fetchSiteConfig(url: string, fetchImpl: typeof fetch = fetch): Promise<ConfigOverrides> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin', cache: 'no-cache' });
  } catch {
    throw new ConfigError(`site-config.json could not be fetched from ${url}`);
  }
  if (response.status === 404) return {};
  if (!response.ok) throw new ConfigError(`site-config.json: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ConfigError('site-config.json is not valid JSON');
  }
  try {
    return parseSiteConfig(json);
  } catch (error) {
    throw new ConfigError(`site-config.json: ${(error as Error).message}`);
  }
}
