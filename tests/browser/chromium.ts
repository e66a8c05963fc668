/**
 * How the browser tests start Debian's Chromium: one place for the path and the switches, used
 * by the run's shared Chromium (global-setup.ts) and by files that need one of their own.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

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
}

export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  const disabled = [
    ...PLAYWRIGHT_DISABLED_FEATURES.filter((feature) => !(options.storagePartitioning && feature === 'ThirdPartyStoragePartitioning')),
    ...OMNIBOX_POPUP_FEATURES,
  ];
  return [...BASE_ARGS, `--disable-features=${disabled.join(',')}`];
}
