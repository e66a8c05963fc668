// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { fetchSiteConfig } from '../../src/ui/site-config';

const answer = (body: string, status = 200): typeof fetch => async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('the site configuration file of the app', () => {
  it('uses the defaults when there is no file', async () => {
    expect(await fetchSiteConfig('/site-config.json', answer('not found', 404))).toEqual({});
  });

  it('reads the settings, ignoring comments', async () => {
    expect(await fetchSiteConfig('/site-config.json', answer('{"$comment":"x","windows":{"pregnancyTest":7}}'))).toEqual({ windows: { pregnancyTest: 7 } });
  });

  it('stops with the reason when the file cannot be used, never silently using defaults', async () => {
    await expect(fetchSiteConfig('/site-config.json', answer('{ windows: }'))).rejects.toThrow(/not valid JSON/);
    await expect(fetchSiteConfig('/site-config.json', answer('{"windows":{"cbc":"90"}}'))).rejects.toThrow(/site-config.json: windows.cbc must be a number/);
    await expect(fetchSiteConfig('/site-config.json', answer('oops', 500))).rejects.toThrow(/HTTP 500/);
  });
});
