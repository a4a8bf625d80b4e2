/**
 * Headless Chromium (Debian's, driven by playwright-core) for the tests of self-contained HTML reports:
 * one browser per describe block, and pages opened from files that record every network request,
 * dialog and script error, so a test can assert the page is inert.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { requireExecutable } from './lab.ts';

/** Without the background-networking flags Chromium tries to reach Google's hosts at every start. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Call inside a describe: launches Chromium before its tests and closes it after. */
export function useChromium(tmpPrefix: string, viewport: { width: number; height: number }) {
  const executablePath = requireExecutable('chromium', 'chromium');
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  before(async () => {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(html: string, name: string) {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await browser!.newPage({ viewport });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    return { page, requests, dialogs, errors };
  }
  return { open, browser: () => browser! };
}

/** A full-page screenshot kept in test/out/<name> for a human to look at; its path is logged. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const out = resolve('test/out');
  mkdirSync(out, { recursive: true });
  const shot = join(out, name);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
}
