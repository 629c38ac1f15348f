// Debian's chromium driven by playwright-core (never a downloaded browser build), with the launch
// flags this machine needs, the panel's sign-in form filled as a person does, and a helper that
// saves a screenshot of a page for people to look at.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS_DIR}${name}.png`, fullPage: true });
}

/** Signs in to the admin panel at `baseUrl` through its form, and waits for the page it leads to. */
export async function signInInBrowser(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

/** What a panel page saw: the dialogs it opened (each accepted) and any Content Security Policy violation. */
export interface PageWatch {
  dialogs: string[];
  cspViolations: string[];
}

/** A 1280×900 page of the panel at `baseUrl`, signed in, its dialogs accepted and noted in `watch`. */
export async function signedInPanelPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  watch: PageWatch,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) watch.cspViolations.push(message.text());
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.accept();
  });
  await signInInBrowser(page, baseUrl, username, password);
  return page;
}
