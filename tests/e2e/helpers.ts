// Shared helpers for the browser tests.
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Errors that a page reported while a test ran. */
export interface PageErrorLog {
  /** Text of console messages of type "error", with their source location. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled promise rejections in the page. */
  pageErrors: string[];
  /** Requests that failed at the network level, as "GET url: reason". Responses with an HTTP error status are not included. */
  failedRequests: string[];
}

/**
 * Starts collecting console errors, page errors and failed requests of a page.
 * Call it before page.goto so that errors during loading are included.
 */
export function collectPageErrors(page: Page): PageErrorLog {
  const log: PageErrorLog = { consoleErrors: [], pageErrors: [], failedRequests: [] };

  page.on('console', (message) => {
    if (message.type() === 'error') {
      const { url, lineNumber } = message.location();
      const where = url ? ` (${url}:${lineNumber})` : '';
      log.consoleErrors.push(`${message.text()}${where}`);
    }
  });
  page.on('pageerror', (error) => {
    // Some errors, such as a SyntaxError from document.write, have an empty stack.
    log.pageErrors.push(error.stack || `${error.name}: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    log.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'unknown error'}`);
  });

  return log;
}

/** Asserts that the page reported no errors, with one assertion per kind so a failure names its kind. */
export function expectNoPageErrors(log: PageErrorLog): void {
  expect(log.pageErrors, 'uncaught page errors').toEqual([]);
  expect(log.consoleErrors, 'console errors').toEqual([]);
  expect(log.failedRequests, 'failed requests').toEqual([]);
}

/**
 * Opens the app at path and waits until it has started, that is until the
 * start-up guard in index.html sets html[data-app-state] to "started".
 * Fails with the text of the #fatal-error box if the app failed to start.
 */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await waitForAppStart(page);
}

/** Reloads the page and waits until the app has started again, as openApp does. */
export async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await waitForAppStart(page);
}

async function waitForAppStart(page: Page): Promise<void> {
  const root = page.locator('html');
  await expect(root).toHaveAttribute('data-app-state', /^(started|failed)$/);

  if ((await root.getAttribute('data-app-state')) === 'failed') {
    const message = await page.locator('#fatal-error').textContent();
    throw new Error(`the app failed to start: ${message}`);
  }
}

/**
 * Converts a clock reading to milliseconds. The page writes "0:08.200"
 * (minutes:seconds.milliseconds), "2:03:04.005" from one hour on, and
 * "3d 02:03:04.005" from one day on.
 */
export function parseClock(text: string): number {
  const match = /^(?:(\d+)d )?(?:(\d+):)?(\d+):(\d{2})\.(\d{3})$/.exec(text.trim());
  if (!match) {
    throw new Error(`invalid clock reading "${text}": expected m:ss.mmm, h:mm:ss.mmm or Nd hh:mm:ss.mmm`);
  }
  const [days, hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0));
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/**
 * Types text into an input with keystrokes, as a reader does, and presses
 * Enter, which fires the change event that the app listens to.
 */
export async function commitText(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.press('Enter');
}

/** Saves a full-page screenshot under the test's output folder and attaches it to the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const screenshotPath = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach(name, { path: screenshotPath, contentType: 'image/png' });
}

/** Starts recording long tasks (over 50 ms) of the page's main thread. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        tasks.push(Math.round(entry.duration));
      }
    }).observe({ type: 'longtask' });
  });
}

/** Returns the durations of the long tasks recorded since recordLongTasks, in milliseconds. */
export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
}
