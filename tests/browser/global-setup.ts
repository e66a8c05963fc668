/**
 * Vitest global setup of the browser project: one Chromium for the whole run (a playwright
 * browser server), which every test file connects to instead of starting its own. Each file
 * opens one page in a context of its own, reset between its tests (harness.ts).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from './build';
import { CHROMIUM_PATH, chromiumArgs } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint (tests/browser/harness.ts connects to it). */
    chromiumWsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Without Chromium the harness explains how to install it, test by test.
  if (!existsSync(CHROMIUM_PATH)) return async () => {};
  // Build dist/ once, before the test files start in parallel workers.
  await ensureBuilt();
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: chromiumArgs() });
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
