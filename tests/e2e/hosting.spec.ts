// The bundle built for a sub-path (scripts/build.sh --public-url
// /course/playground/ --dist dist-subpath), served under that prefix as a
// course site would. The 'chromium-subpath' project in playwright.config.ts
// runs this file with a baseURL that ends in /course/playground/, so every
// path here is relative ('./', not '/').
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp } from './helpers';

const PREFIX = '/course/playground/';

/**
 * Records the path and status of every response, so a test can check that
 * the page requested nothing outside the prefix.
 */
function collectResponses(page: Page): { path: string; status: number }[] {
  const responses: { path: string; status: number }[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.protocol === 'http:') {
      responses.push({ path: url.pathname, status: response.status() });
    }
  });
  return responses;
}

async function expectPanelsRender(page: Page): Promise<void> {
  for (const strategy of ['polling', 'webhook'] as const) {
    const panel = page.getByTestId(`panel-${strategy}`);
    await expect(panel, `${strategy} panel`).toBeVisible();
    await expect(panel.locator('svg.stage'), `${strategy} stage`).toBeVisible();
    await expect(panel.locator('svg.stage .lane__name'), `${strategy} lane names`).toHaveText(['Gateway', 'ABC Payment']);
  }
}

/** Starts playback, then skips to the end, so the counters show the whole run. */
async function playToEnd(page: Page): Promise<void> {
  await page.getByTestId('play').click();
  await page.getByTestId('end').click();
  await expect(page.getByTestId('clock-now')).toHaveText(await page.getByTestId('clock-end').innerText());
  await expect(page.getByTestId('play')).toHaveText('Play again');
}

test('sub-path bundle runs default story', async ({ page }) => {
  const errors = collectPageErrors(page);
  const responses = collectResponses(page);

  await openApp(page, './');

  expect(new URL(page.url()).pathname, 'address after loading').toBe(PREFIX);
  await expect(page.locator('#fatal-error')).toHaveCount(0);
  await expectPanelsRender(page);

  await playToEnd(page);
  await expect(page.getByTestId('clock-end')).toHaveText('0:08.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('4');
  await expect(page.getByTestId('polling-wasted')).toHaveText('3');
  await expect(page.getByTestId('webhook-callbacks')).toHaveText('1');
  await expect(page.getByTestId('polling-detected')).toHaveText('1 of 1');
  await expect(page.getByTestId('webhook-detected')).toHaveText('1 of 1');

  // The bundle's files (HTML, JS, wasm, CSS, icon) all come from under the prefix.
  const paths = responses.map((response) => response.path);
  expect(paths.length, 'number of responses').toBeGreaterThanOrEqual(4);
  for (const { path, status } of responses) {
    expect(path.startsWith(PREFIX), `${path} lies under ${PREFIX}`).toBe(true);
    expect(status, `status of ${path}`).toBe(200);
  }
  expect(paths.some((path) => path.endsWith('.wasm')), 'the wasm module was loaded').toBe(true);

  expectNoPageErrors(errors);
});

test('sub-path link sets poll interval', async ({ page }) => {
  const errors = collectPageErrors(page);

  await openApp(page, './?poll=5s');

  const address = new URL(page.url());
  expect(address.pathname, 'path after loading').toBe(PREFIX);
  expect(address.searchParams.get('poll'), 'poll parameter after loading').toBe('5s');
  await expect(page.locator('#poll-interval')).toHaveValue('5s');
  await expect(page.getByTestId('notices')).toHaveText('');
  await expectPanelsRender(page);

  // Polls leave at 5 s and 10 s, and the payment is final at 7 s. So the
  // first response is pending, and the second brings the outcome at 10.2 s.
  await playToEnd(page);
  await expect(page.getByTestId('clock-end')).toHaveText('0:10.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('2');
  await expect(page.getByTestId('polling-wasted')).toHaveText('1');
  await expect(page.getByTestId('polling-delay-mean')).toHaveText('3.2 s');
  await expect(page.getByTestId('webhook-callbacks')).toHaveText('1');
  await expect(page.getByTestId('webhook-delay-mean')).toHaveText('100 ms');

  // Links the page hands out keep the prefix, so they open this copy.
  await page.getByTestId('open-share').click();
  const link = new URL(await page.getByTestId('share-link').inputValue());
  expect(link.pathname, 'shared link path').toBe(PREFIX);
  expect(link.searchParams.get('poll'), 'shared link poll parameter').toBe('5s');
  await expect(page.getByTestId('share-embed')).toHaveValue(new RegExp(`src="http://127\\.0\\.0\\.1:\\d+${PREFIX}\\?`));

  expectNoPageErrors(errors);
});

/** Returns the host page example of docs/embedding.md: the html code block that starts with a doctype. */
function hostPageExample(): string {
  const markdown = readFileSync(path.join(__dirname, '..', '..', 'docs', 'embedding.md'), 'utf8');
  const match = /```html\n(<!doctype html>[\s\S]*?)```/.exec(markdown);
  if (!match) {
    throw new Error('docs/embedding.md has no html code block that starts with <!doctype html>');
  }
  return match[1];
}

test('docs host page example works', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  // The example's iframe points at /course/playground/, so the lesson page
  // is served beside it, on the same server, by routing one address.
  const lesson = new URL('../lesson.html', baseURL).href;
  await page.route(lesson, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPageExample() }),
  );

  await page.goto(lesson);
  const status = page.locator('#status');
  const detections = page.locator('#detections li');

  await expect(page.locator('#play'), 'Play button once the playground is ready').toBeEnabled();
  await expect(status).toHaveText('0.0 s of 8.2 s, paused. Parameters: embed=1');

  await page.locator('#play').click();
  await expect(status).toContainText(', playing.');
  await page.locator('#pause').click();
  await expect(status).toContainText(', paused.');

  await page.locator('#seek').click();
  await expect(status).toHaveText('8.2 s of 8.2 s, paused. Parameters: embed=1');
  await expect(detections).toHaveText([
    'webhook learned that payment 1 succeeded at 7100 ms, 100 ms after it was final',
    'polling learned that payment 1 succeeded at 8200 ms, 1200 ms after it was final',
  ]);

  await page.locator('#slow-poll').click();
  await expect(status).toHaveText('8.2 s of 10.2 s, paused. Parameters: poll=5s&embed=1');
  await expect(page.frameLocator('#playground').getByTestId('polling-requests')).toHaveText('1');

  expectNoPageErrors(errors);
});
