import { expect, test, type Page } from '@playwright/test';

import {
  collectPageErrors,
  commitText,
  expectNoPageErrors,
  longTasks,
  openApp,
  recordLongTasks,
  saveScreenshot,
} from './helpers';


test('charts show load, delays and the trade-off', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?payments=100&arrival=poisson:2&duration=5s-60s&show=polling,webhook,hybrid');

  const progress = page.getByTestId('tradeoff-progress');
  await expect(progress).toContainText(/^(\d+) of \1 points/, { timeout: 30_000 });
  const points = Number((await progress.innerText()).split(' ')[0]);
  // At least 20 poll intervals, plus the webhook and the hybrid points.
  expect(points).toBeGreaterThanOrEqual(22);

  const tradeoff = page.getByTestId('chart-tradeoff');
  expect(await tradeoff.locator('.chart__series--polling circle').count()).toBeGreaterThanOrEqual(20);
  await expect(tradeoff.locator('.chart__series--webhook rect')).toHaveCount(1);
  await expect(tradeoff.locator('.chart__series--hybrid .chart__ring')).toHaveCount(1);
  await expect(tradeoff.locator('.chart__highlight text')).toHaveText('every 2 s');

  const load = page.getByTestId('chart-load');
  await expect(load.locator('.chart__series--polling path')).toHaveCount(1);
  await expect(load.locator('.chart__series--webhook path')).toHaveCount(1);
  await expect(page.getByTestId('chart-delay').locator('.chart__series path')).toHaveCount(3);

  await page.getByTestId('chart-tradeoff').scrollIntoViewIfNeeded();
  await saveScreenshot(page, testInfo, 'charts');
  expectNoPageErrors(errors);
});

test('charts follow the controls without long tasks', async ({ page }) => {
  await openApp(page, '/?payments=100&arrival=poisson:2&duration=5s-60s');
  const progress = page.getByTestId('tradeoff-progress');
  await expect(progress).toContainText(/^(\d+) of \1 points/, { timeout: 30_000 });

  await recordLongTasks(page);
  await commitText(page.locator('#poll-interval'), '5s');
  await expect(page.getByTestId('chart-tradeoff').locator('.chart__highlight text')).toHaveText('every 5 s');
  await expect(progress).toContainText(/^(\d+) of \1 points/, { timeout: 30_000 });

  // The sweep runs one point per task; none of them, nor the new run,
  // holds the main thread for more than 50 ms.
  expect(await longTasks(page)).toEqual([]);
});

test('many payments draw flows and queues', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?payments=2000&arrival=poisson:100&duration=5s-60s&poll=1s&latency=200ms-600ms&slow=off');

  const polling = page.getByTestId('panel-polling');
  const canvas = polling.locator('canvas.stage--flows');
  await expect(canvas).toBeVisible();
  await expect(polling.locator('svg.stage')).toHaveCount(0);

  // Jump into the busiest stretch: many messages in flight, all drawn.
  await page.locator('#scrubber').fill('20000');
  const inFlight = Number(await canvas.getAttribute('data-in-flight'));
  expect(inFlight).toBeGreaterThan(100);
  await expect(canvas).toHaveAttribute('aria-label', new RegExp(`${inFlight} messages in flight`));
  await saveScreenshot(page, testInfo, 'flows');

  // The counters stay exact: every payment is known at the end.
  await page.getByTestId('end').click();
  await expect(page.getByTestId('polling-detected')).toHaveText('2000 of 2000');
  await expect(page.getByTestId('webhook-detected')).toHaveText('2000 of 2000');
  await expect(page.getByTestId('webhook-callbacks')).toHaveText('2000');
  expectNoPageErrors(errors);
});

/** The colour of the canvas's pixel at the middle of the top of the gateway lane. */
async function laneColor(page: Page): Promise<string> {
  return page.getByTestId('panel-polling').locator('canvas.stage--flows').evaluate((node) => {
    const canvas = node as HTMLCanvasElement;
    const context = canvas.getContext('2d')!;
    // The gateway lane is the left quarter of the drawing; its top holds no bar or dot.
    const [r, g, b] = context.getImageData(Math.round(canvas.width * 0.02), Math.round(canvas.height * 0.02), 1, 1).data;
    return `${r},${g},${b}`;
  });
}

test('the flows canvas follows a theme change while paused', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page, '/?payments=500&arrival=burst&poll=1s&show=polling&t=3s');
  await expect(page.getByTestId('panel-polling').locator('canvas.stage--flows')).toBeVisible();

  const light = await laneColor(page);
  await page.getByTestId('theme').click();
  await expect.poll(() => laneColor(page)).not.toBe(light);
  const dark = await laneColor(page);
  // Dark lanes are dark: the sum of their channels is well below a light lane's.
  const sum = (rgb: string) => rgb.split(',').map(Number).reduce((a, b) => a + b, 0);
  expect(sum(dark)).toBeLessThan(sum(light) - 200);
  expectNoPageErrors(errors);
});
