/**
 * How the browser tests start Debian's Chromium: one place for the path and the switches, used
 * by the run's shared Chromium (global-setup.ts) and by files that need one of their own.
 */
import { existsSync } from 'node:fs';

/**
 * Debian's headless shell (package `chromium-headless-shell`): the same Chromium build and Blink
 * without the desktop browser's layers, and what Playwright itself runs for headless tests. On
 * this 2-core machine a new page costs it 0.35 s of CPU against 0.85 s for the full browser, and
 * a launch of the app 0.77 s against 1.17 s. `.ci/run` installs both.
 */
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';
/** The full browser (package `chromium`): used when the headless shell is not installed. */
export const FULL_CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_PATH = existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : FULL_CHROMIUM_PATH;

/**
 * Playwright's own `--disable-features` list (playwright-core chromiumSwitches), repeated here
 * because a later `--disable-features` switch replaces an earlier one rather than adding to it.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

/**
 * Headless Chromium builds the address bar's popup (a WebUI page) for every new tab: about 0.1 s
 * of each page the tests open, for a popup no test shows.
 */
const OMNIBOX_POPUP_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumOptions {
  /**
   * Leave Chromium's third-party storage partitioning on. Playwright turns it off, and Chromium
   * then blocks storage in a cross-site iframe outright; users' browsers partition it by the
   * top-level site instead.
   */
  storagePartitioning?: boolean;
  /**
   * The full browser even where the headless shell is installed: for what differs between them.
   * With partitioning off, only the full browser blocks storage in a cross-site iframe (the
   * headless shell lets it through), and that blocking is what a user's browser can do.
   */
  fullBrowser?: boolean;
}

export function chromiumPath(options: ChromiumOptions = {}): string {
  return options.fullBrowser ? FULL_CHROMIUM_PATH : CHROMIUM_PATH;
}

export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  const disabled = [
    ...PLAYWRIGHT_DISABLED_FEATURES.filter((feature) => !(options.storagePartitioning && feature === 'ThirdPartyStoragePartitioning')),
    ...OMNIBOX_POPUP_FEATURES,
  ];
  return [...BASE_ARGS, `--disable-features=${disabled.join(',')}`];
}
