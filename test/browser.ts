// Debian's Chromium driven by playwright-core, as the browser tests and the dashboard benchmark use
// it: headless, no sandbox (CI runs as root), nothing that phones home. Playwright gives every launch
// a fresh temporary profile (it refuses --user-data-dir for launch()).
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.IMPACT_CHROMIUM || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
