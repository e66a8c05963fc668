/**
 * The built app's Content-Security-Policy: the `<meta>` floor in both pages, the tighter header
 * the sandbox sends (what a production server should send), and the app working under both.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appContentSecurityPolicy, issuerOrigins, sourcesFromEnv } from '../../src/sandbox/csp';
import { REPO_ROOT } from '../../src/sandbox/server';
import { openChart, useBrowserHarness, waitForOutcome } from './harness';

const PAGES = ['/', '/launch/'];

type Policy = Map<string, string[]>;

function parsePolicy(text: string): Policy {
  const policy: Policy = new Map();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

function metaPolicy(html: string): string | undefined {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
}

/** The rules every policy of ours keeps: scripts only from our own files, nothing eval'd, no plugins. */
function expectScriptLockdown(policy: Policy, where: string): void {
  const scriptSrc = policy.get('script-src');
  expect(scriptSrc, `${where}: script-src`).toEqual(["'self'"]);
  for (const [directive, sources] of policy) {
    expect(sources, `${where}: ${directive}`).not.toContain("'unsafe-eval'");
    if (directive === 'script-src' || directive === 'default-src') expect(sources, `${where}: ${directive}`).not.toContain("'unsafe-inline'");
  }
  expect(policy.get('object-src'), `${where}: object-src`).toEqual(["'none'"]);
  expect(policy.has('base-uri'), `${where}: base-uri`).toBe(true);
}

describe('Content-Security-Policy of the built app', () => {
  const harness = useBrowserHarness();

  it('each page carries a <meta> policy with no inline or eval\'d script, and has no inline script to need one', async () => {
    for (const path of PAGES) {
      const html = await (await fetch(`${harness.sandbox.origin}${path}`)).text();
      const meta = metaPolicy(html);
      expect(meta, `${path}: meta policy`).toBeDefined();
      const policy = parsePolicy(meta!);
      expectScriptLockdown(policy, `${path} meta`);
      // The meta floor must still let the app reach an https FHIR server named in smart-config.json.
      expect(policy.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'https:']));
      // Every script is a same-origin file; no inline code or handlers for the policy to block.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/<style/i);
    }
  });

  it('the sandbox sends a tighter header: styles from files, connect-src from configuration, framing by the EHR (its chart pages) only', async () => {
    const smartConfig = JSON.parse(await readFile(join(REPO_ROOT, 'dist', 'smart-config.json'), 'utf8')) as { issuers: Record<string, unknown> };
    const configuredOrigins = Object.keys(smartConfig.issuers)
      .filter((iss) => !iss.startsWith('$'))
      .map((iss) => new URL(iss).origin);
    // As shipped the file lists no EHR (docs/deploy.md); issuerOrigins' own test covers listed ones.
    expect(configuredOrigins).toEqual([]);

    for (const path of PAGES) {
      const res = await fetch(`${harness.sandbox.origin}${path}`);
      const header = res.headers.get('content-security-policy');
      expect(header, `${path}: header`).not.toBeNull();
      const policy = parsePolicy(header!);
      expectScriptLockdown(policy, `${path} header`);
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('style-src')).toEqual(["'self'"]);
      // The sandbox adds its own FHIR server on both loopback names (the app may run on the other one).
      const port = new URL(harness.sandbox.origin).port;
      const sandboxOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
      expect(policy.get('connect-src')).toEqual(["'self'", ...configuredOrigins, ...sandboxOrigins]);
      expect(policy.get('frame-ancestors')).toEqual(sandboxOrigins);
      expect(policy.get('form-action')).toEqual(["'none'"]);
    }
  });

  it('a launch and a therapy change work under the policy without a single violation', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-clopidogrel');
    await app.getByLabel('Planned therapy').selectOption('abrocitinib');
    await app.locator('[data-testid="do-not-start"] [data-testid="block-antiplatelet"]').waitFor();
    await app.locator('.evidence__toggle').first().click();

    // The standalone launch page (its own stylesheet, the SMART redirect) is under the policy too.
    const standalone = await harness.open();
    await standalone.page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase })}`);
    await standalone.page.getByRole('heading', { name: 'Choose a patient' }).waitFor();
    await standalone.page.getByRole('radio').first().check();
    await standalone.page.getByRole('button', { name: 'Open in app' }).click();
    await waitForOutcome(standalone.page);
    expect(await standalone.page.getByTestId('verdicts').count()).toBe(1);

    for (const { cspViolations, console } of [log, standalone.log]) {
      expect(cspViolations).toEqual([]);
      expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m.text)).map((m) => m.text)).toEqual([]);
    }
  });

  it('the policy is enforced: an injected inline script does not run and is reported as a violation', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-ready');

    const ran = await app.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      await new Promise((done) => setTimeout(done, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
    });
    expect(ran).toBe(false);
    await expect.poll(() => log.cspViolations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
  });
});

describe('the header policy computed from configuration', () => {
  it('takes the issuer origins from smart-config.json, skipping comments and non-URLs', () => {
    const origins = issuerOrigins({
      issuers: { $comment: {}, 'https://fhir.a.example/r4': {}, 'https://fhir.a.example/other/': {}, 'not a url': {}, 'ftp://x.example': {} },
    });
    expect(origins).toEqual(['https://fhir.a.example']);
    expect(issuerOrigins(undefined)).toEqual([]);
  });

  it('refuses environment sources that would smuggle in another directive or a wildcard', () => {
    expect(sourcesFromEnv(" https://auth.example:8443  'self' https://b.example;script-src 'unsafe-inline' * ")).toEqual([
      'https://auth.example:8443',
      "'self'",
    ]);
    const policy = parsePolicy(appContentSecurityPolicy({ connectSrc: sourcesFromEnv('https://auth.example;script-src *') }));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });
});
