// The long-run section: an hour of traffic at 100 payments per second,
// computed in slices while the page stays responsive, then shown at any
// second through the time slider.
import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, longTasks, openApp, recordLongTasks } from './helpers';

/** Reads one cell of the long-run table, such as "polling" and "created", as a number. */
async function cell(page: Page, strategy: string, key: string): Promise<number> {
  const text = await page.getByTestId(`long-run-${strategy}-${key}`).innerText();
  return Number(text.replaceAll(',', ''));
}

/**
 * Moves the time slider to `second` and returns the milliseconds from the
 * input event to the second animation frame after it.
 */
async function seek(page: Page, second: number): Promise<number> {
  return page.evaluate(async (target) => {
    const input = document.querySelector<HTMLInputElement>('#long-run-time');
    if (!input) {
      throw new Error('the long-run time slider is missing');
    }
    const started = performance.now();
    input.value = String(target);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - started;
  }, second);
}

test('hour of traffic runs in slices and seeks', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  await expect(page.getByTestId('tradeoff-progress')).toContainText(/^(\d+) of \1 points/, { timeout: 30_000 });

  const section = page.getByTestId('long-run');
  await section.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('long-run-start')).toHaveText('Run 1 hour of traffic');
  await recordLongTasks(page);
  await page.getByTestId('long-run-start').click();

  // While it computes, the page responds: the Stop button is there and the
  // status line moves on.
  await expect(page.getByTestId('long-run-stop')).toBeVisible();
  const status = page.getByTestId('long-run-status');
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  await expect(status).toContainText(/^Simulated 1 h of 1 h of virtual time in [\d.]+ s of wall-clock time; [\d,]+ events so far\./);
  expect(await longTasks(page), 'main-thread tasks over 50 ms while the run computed').toEqual([]);

  // The last second: all 360,000 payments created and learned by both.
  const seconds = Number(await status.getAttribute('data-seconds'));
  expect(seconds).toBeGreaterThanOrEqual(3_600);
  await expect(page.getByTestId('long-run-clock')).toHaveAttribute('data-second', String(seconds - 1));
  for (const strategy of ['polling', 'webhook']) {
    expect(await cell(page, strategy, 'created'), `${strategy} payments created`).toBe(360_000);
    expect(await cell(page, strategy, 'detected'), `${strategy} payments known`).toBe(360_000);
  }
  expect(await cell(page, 'webhook', 'requests')).toBe(0);
  expect(await cell(page, 'webhook', 'callbacks')).toBe(360_000);
  expect(await cell(page, 'polling', 'requests')).toBeGreaterThan(5 * 360_000);

  // Seeking: half an hour in, about 180,000 payments exist in both
  // strategies, and every jump shows its second well within 250 ms.
  const latencies: number[] = [];
  latencies.push(await seek(page, 1_799));
  await expect(page.getByTestId('long-run-clock')).toHaveText('30:00.000');
  const created = await cell(page, 'polling', 'created');
  expect(Math.abs(created - 180_000), `${created} payments after 30 min`).toBeLessThan(3_000);
  expect(await cell(page, 'webhook', 'created')).toBe(created);
  expect(await cell(page, 'polling', 'rate')).toBeGreaterThan(1_000);
  expect(await cell(page, 'webhook', 'rate')).toBe(0);
  for (const second of [0, 3_000, 600, seconds - 1, 2_400]) {
    latencies.push(await seek(page, second));
    await expect(page.getByTestId('long-run-clock')).toHaveAttribute('data-second', String(second));
  }
  expect(Math.max(...latencies), `seek latencies ${latencies.map(Math.round).join(', ')} ms`).toBeLessThan(250);

  await seek(page, 1_799);
  const screenshot = testInfo.outputPath('long-run-hour.png');
  await section.screenshot({ path: screenshot });
  await testInfo.attach('long-run-hour', { path: screenshot, contentType: 'image/png' });
  expectNoPageErrors(errors);
});

test('stopped day keeps its seconds', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  await page.getByTestId('long-run').scrollIntoViewIfNeeded();
  await page.selectOption('#long-run-hours', '24');
  await expect(page.getByTestId('long-run-start')).toHaveText('Run 24 hours of traffic');
  await page.getByTestId('long-run-start').click();

  const status = page.getByTestId('long-run-status');
  await expect.poll(async () => Number(await status.getAttribute('data-seconds')), { timeout: 30_000 }).toBeGreaterThan(60);
  await page.getByTestId('long-run-stop').click();
  await expect(status).toContainText(/^Stopped at [\d. a-z]+ of 1 d of virtual time/);
  await expect(page.locator('#long-run-hours')).toBeEnabled();

  // Stopped means stopped: the computed seconds stay where they are.
  const stoppedAt = await status.getAttribute('data-seconds');
  await page.waitForTimeout(500);
  await expect(status).toHaveAttribute('data-seconds', stoppedAt ?? '');
  await seek(page, 30);
  await expect(page.getByTestId('long-run-clock')).toHaveText('0:31.000');
  expect(await cell(page, 'polling', 'created')).toBeGreaterThan(2_500);
  expectNoPageErrors(errors);
});

test('long run survives presentation mode', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  await page.getByTestId('long-run').scrollIntoViewIfNeeded();
  await page.getByTestId('long-run-start').click();
  const status = page.getByTestId('long-run-status');
  await expect.poll(async () => Number(await status.getAttribute('data-seconds')), { timeout: 30_000 }).toBeGreaterThan(60);

  // Presentation mode hides the section; switching back shows the same run, still computing.
  await page.locator('body').press('f');
  await expect(page.getByTestId('long-run')).toBeHidden();
  await page.locator('body').press('f');
  await expect(page.getByTestId('long-run')).toBeVisible();
  await expect(status).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  expect(Number(await status.getAttribute('data-seconds'))).toBeGreaterThanOrEqual(3_600);
  expectNoPageErrors(errors);
});
