// What a reader does with the playground: load it, play the default story,
// change the poll interval, step through events, reload, type bad values and
// survive a wasm trap. Every test starts with empty localStorage, because
// Playwright gives each test a new browser context.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp, reloadApp } from './helpers';

const SETTINGS_KEY = 'pollhook.settings.v1';

/** Counter names, as in the data-testid "<strategy>-<name>" of each panel's counters. */
const COUNTERS = [
  'requests',
  'wasted',
  'callbacks',
  'detected',
  'delay-mean',
  'delay-p95',
  'delay-max',
  'peak-rps',
  'mean-rps',
] as const;

type Strategy = 'polling' | 'webhook';

// The default scenario: one payment created at 0 s that ABC Payment completes
// at 7 s, a poll every 2 s and 100 ms of latency each way. Polls leave at 2, 4,
// 6 and 8 s, reach ABC Payment 100 ms later, and their responses arrive
// 100 ms after that. The webhook leaves at 7 s and reaches the gateway at 7.1 s.
const DEFAULT_REQUEST_ARRIVALS_MS = [2_100, 4_100, 6_100, 8_100];
const DEFAULT_PENDING_ANSWER_ARRIVALS_MS = [2_200, 4_200, 6_200];
const DEFAULT_WEBHOOK_ARRIVAL_MS = 7_100;
const DEFAULT_LATENCY_MS = 100;
const DEFAULT_END_CLOCK = '0:08.200';

/** Converts a clock reading such as "0:08.200" (minutes, seconds, milliseconds) to milliseconds. */
function parseClock(text: string): number {
  const match = /^(\d+):(\d{2})\.(\d{3})$/.exec(text.trim());
  if (!match) {
    throw new Error(`invalid clock reading "${text}": expected the form m:ss.mmm`);
  }
  const [, minutes, seconds, millis] = match.map(Number);
  return (minutes * 60 + seconds) * 1000 + millis;
}

function countUpTo(moments: number[], at: number): number {
  return moments.filter((moment) => moment <= at).length;
}

async function readCounters(page: Page, strategy: Strategy): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of COUNTERS) {
    values[name] = (await page.getByTestId(`${strategy}-${name}`).innerText()).trim();
  }
  return values;
}

/** Sets the speed slider, whose value is the base-10 logarithm of the speed. */
async function setSpeedExponent(page: Page, exponent: number, expectedLabel: string): Promise<void> {
  await page.locator('#speed').fill(String(exponent));
  await expect(page.locator('output[for="speed"]')).toHaveText(expectedLabel);
}

function slowMotion(page: Page): Locator {
  return page.getByRole('checkbox', { name: /Slow motion/ });
}

/**
 * Types text into an input and commits it with Enter, which fires the change
 * event that the app listens to. Keystrokes instead of fill, because fill
 * refuses text that is not a number in an input of type number.
 */
async function commitText(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.press('Enter');
}

async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const screenshotPath = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach(name, { path: screenshotPath, contentType: 'image/png' });
}

test('page renders both panels', async ({ page }) => {
  const errors = collectPageErrors(page);

  await openApp(page);

  for (const strategy of ['polling', 'webhook'] as const) {
    const panel = page.getByTestId(`panel-${strategy}`);
    await expect(panel).toBeVisible();

    const stage = panel.locator('svg.stage');
    await expect(stage).toBeVisible();
    await expect(stage).toHaveAttribute('role', 'img');
    await expect(stage).toHaveAttribute('aria-label', '0 of 1 payments final at ABC Payment; the gateway knows 0 of them.');
    await expect(stage.locator('.lane__name')).toHaveText(['Gateway', 'ABC Payment']);

    for (const name of COUNTERS) {
      await expect(panel.getByTestId(`${strategy}-${name}`)).toBeVisible();
    }
  }
  await expect(page.getByTestId('panel-polling').getByRole('heading')).toHaveText('Polling');
  await expect(page.getByTestId('panel-webhook').getByRole('heading')).toHaveText('Webhook');
  await expect(page.getByTestId('clock-now')).toHaveText('0:00.000');
  await expect(page.getByTestId('clock-end')).toHaveText(DEFAULT_END_CLOCK);
  await expect(page.getByTestId('notices')).toHaveText('');

  expectNoPageErrors(errors);
});

test('default run counts at the end', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const play = page.getByTestId('play');
  const clockNow = page.getByTestId('clock-now');

  // Time 0: nothing has arrived on either side.
  for (const strategy of ['polling', 'webhook'] as const) {
    const counters = await readCounters(page, strategy);
    expect(counters.requests, `${strategy} requests at 0 s`).toBe('0');
    expect(counters.wasted, `${strategy} wasted at 0 s`).toBe('0');
    expect(counters.callbacks, `${strategy} callbacks at 0 s`).toBe('0');
    expect(counters.detected, `${strategy} detected at 0 s`).toBe('0 of 1');
  }

  // ×10 without slow motion plays the 8.2 s run in under a second.
  await setSpeedExponent(page, 1, '×10');
  await slowMotion(page).uncheck();
  await play.click();

  // An intermediate reading, taken in the page within one animation frame so
  // the clock and the counters come from the same render.
  const reading = await page
    .waitForFunction(() => {
      const text = (testId: string) =>
        document.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? '';
      if (text('polling-requests') === '0') {
        return null;
      }
      return {
        now: text('clock-now'),
        play: text('play'),
        pollingRequests: text('polling-requests'),
        pollingWasted: text('polling-wasted'),
        webhookCallbacks: text('webhook-callbacks'),
      };
    })
    .then((handle) => handle.jsonValue());
  const readingAt = parseClock(reading!.now);
  expect(reading!.play, 'play button during the run').toBe('Pause');
  expect(readingAt, 'reading taken before the end').toBeLessThan(parseClock(DEFAULT_END_CLOCK));
  expect(Number(reading!.pollingRequests), 'polling requests mid-run').toBeLessThan(4);
  expect(reading!.pollingRequests, `polling requests at ${reading!.now}`).toBe(
    String(countUpTo(DEFAULT_REQUEST_ARRIVALS_MS, readingAt)),
  );
  expect(reading!.pollingWasted, `polling wasted at ${reading!.now}`).toBe(
    String(countUpTo(DEFAULT_PENDING_ANSWER_ARRIVALS_MS, readingAt)),
  );
  expect(reading!.webhookCallbacks, `webhook callbacks at ${reading!.now}`).toBe(
    String(countUpTo([DEFAULT_WEBHOOK_ARRIVAL_MS], readingAt)),
  );

  await expect(play).toHaveText('Play');
  await expect(clockNow).toHaveText(DEFAULT_END_CLOCK);
  await expect(page.getByTestId('clock-end')).toHaveText(DEFAULT_END_CLOCK);

  const polling = await readCounters(page, 'polling');
  expect(polling.requests, 'polling requests').toBe('4');
  expect(polling.wasted, 'polling wasted').toBe('3');
  expect(polling.callbacks, 'polling callbacks').toBe('0');
  expect(polling.detected, 'polling detected').toBe('1 of 1');
  // Completed at 7 s, known when the fourth response arrives at 8.2 s.
  expect(polling['delay-max'], 'polling longest delay').toBe('1.2 s');

  const webhook = await readCounters(page, 'webhook');
  expect(webhook.requests, 'webhook requests').toBe('0');
  expect(webhook.wasted, 'webhook wasted').toBe('0');
  expect(webhook.callbacks, 'webhook callbacks').toBe('1');
  expect(webhook.detected, 'webhook detected').toBe('1 of 1');
  expect(webhook['delay-max'], 'webhook longest delay').toBe('100 ms');

  await saveScreenshot(page, testInfo, 'default-run-end');
  expectNoPageErrors(errors);
});

test('tokens move mid-animation', async ({ page }, testInfo) => {
  await openApp(page);
  const play = page.getByTestId('play');

  // Slow motion stays on, so each 100 ms trip takes at least 800 ms on
  // screen, and ×10 gets through the 2 s before the first poll quickly.
  await expect(slowMotion(page)).toBeChecked();
  await setSpeedExponent(page, 1, '×10');
  await play.click();

  // Watches every animation frame in the page: once a "pending" response has
  // moved towards the gateway between two frames and is 30% to 60% of the
  // way, the page presses Pause in that same frame. A click from the test would come
  // too late on a busy machine, after the token has landed.
  const answerTripsStartMs = DEFAULT_PENDING_ANSWER_ARRIVALS_MS.map((arrival) => arrival - DEFAULT_LATENCY_MS);
  const movement = await page
    .waitForFunction(
      ({ tripStarts, fromMs, toMs }) => {
        const state = window as unknown as { lastTokenX?: number };
        const label = document.querySelector('[data-testid="panel-polling"] svg.stage .token[data-kind="pending"] text');
        if (!label) {
          state.lastTokenX = undefined;
          return null;
        }
        const x = Number(label.getAttribute('x'));
        const clock = document.querySelector('[data-testid="clock-now"]')?.textContent ?? '';
        const [minutes, seconds] = clock.split(':').map(Number);
        const now = (minutes * 60 + seconds) * 1000;
        const midway = tripStarts.some((start) => now >= start + fromMs && now < start + toMs);
        const previousX = state.lastTokenX;
        state.lastTokenX = x;
        if (previousX === undefined || !(x < previousX) || !midway) {
          return null;
        }
        document.querySelector<HTMLButtonElement>('[data-testid="play"]')?.click();
        return { previousX, x, clock };
      },
      // The app counts a frame gap as 100 ms at most, and slow motion spreads
      // a 100 ms trip over 800 ms, so one frame moves the clock 12.5 ms at
      // most. Some frame therefore lands in this 30 ms window, and the frame
      // or two that may pass before the pause cannot carry the token home.
      { tripStarts: answerTripsStartMs, fromMs: 0.3 * DEFAULT_LATENCY_MS, toMs: 0.6 * DEFAULT_LATENCY_MS },
    )
    .then((handle) => handle.jsonValue());
  expect(movement!.x, `token position at ${movement!.clock}`).toBeLessThan(movement!.previousX);

  await expect(play).toHaveText('Play');
  const token = page.getByTestId('panel-polling').locator('svg.stage .token[data-kind="pending"]');
  await expect(token).toBeVisible();
  await expect(token).toHaveText('pending');

  const pausedAt = parseClock(await page.getByTestId('clock-now').innerText());
  await expect(page.getByTestId('polling-requests')).toHaveText(String(countUpTo(DEFAULT_REQUEST_ARRIVALS_MS, pausedAt)));
  await expect(page.getByTestId('polling-wasted')).toHaveText(
    String(countUpTo(DEFAULT_PENDING_ANSWER_ARRIVALS_MS, pausedAt)),
  );

  await saveScreenshot(page, testInfo, 'mid-animation');
});

test('poll interval changes polling only', async ({ page }) => {
  await openApp(page);
  const end = page.getByTestId('end');
  const clockNow = page.getByTestId('clock-now');
  const clockEnd = page.getByTestId('clock-end');
  const summary = page.getByTestId('panel-polling').locator('.panel__header p');

  await end.click();
  await expect(clockNow).toHaveText(DEFAULT_END_CLOCK);
  await expect(page.getByTestId('polling-requests')).toHaveText('4');
  const webhookBefore = await readCounters(page, 'webhook');

  // A typed 3 s: polls leave at 3, 6 and 9 s, and the third one learns the outcome.
  await commitText(page.locator('#poll-interval'), '3');
  await expect(summary).toContainText('every 3 s');
  await end.click();
  await expect(clockEnd).toHaveText('0:09.200');
  await expect(clockNow).toHaveText('0:09.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('3');
  await expect(page.getByTestId('polling-wasted')).toHaveText('2');
  expect(await readCounters(page, 'webhook'), 'webhook counters with a 3 s interval').toEqual(webhookBefore);

  // 5 s, the slider's ninth stop: polls leave at 5 and 10 s.
  await page.locator('#poll-interval-slider').fill('8');
  await expect(page.locator('#poll-interval')).toHaveValue('5');
  await expect(summary).toContainText('every 5 s');
  await end.click();
  await expect(clockNow).toHaveText('0:10.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('2');
  await expect(page.getByTestId('polling-wasted')).toHaveText('1');
  expect(await readCounters(page, 'webhook'), 'webhook counters with a 5 s interval').toEqual(webhookBefore);

  await expect(page.getByTestId('notices')).toHaveText('');
});

test('step and restart move clock', async ({ page }) => {
  await openApp(page);
  const clockNow = page.getByTestId('clock-now');
  const play = page.getByTestId('play');

  await page.getByTestId('step').click();
  await expect(clockNow).toHaveText('0:02.000');
  await expect(play).toHaveText('Play');
  // The request has left but not arrived, so it is drawn and not yet counted.
  await expect(page.getByTestId('panel-polling').locator('svg.stage .token[data-kind="request"]')).toBeVisible();
  await expect(page.getByTestId('polling-requests')).toHaveText('0');

  await page.getByTestId('step').click();
  await expect(clockNow).toHaveText('0:02.100');
  await expect(page.getByTestId('polling-requests')).toHaveText('1');

  await page.getByTestId('restart').click();
  await expect(clockNow).toHaveText('0:00.000');
  await expect(page.getByTestId('polling-requests')).toHaveText('0');
  await expect(page.getByTestId('panel-polling').locator('svg.stage .token')).toHaveCount(0);
});

test('settings survive reload', async ({ page }) => {
  await openApp(page);

  await commitText(page.locator('#poll-interval'), '3');
  await commitText(page.locator('#payments'), '3');
  await commitText(page.locator('#seed'), '42');
  await setSpeedExponent(page, 1, '×10');
  await slowMotion(page).uncheck();
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');

  const saved = await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY);
  expect(saved, 'saved settings').not.toBeNull();

  await reloadApp(page);

  await expect(page.locator('#poll-interval')).toHaveValue('3');
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');
  await expect(page.locator('#speed')).toHaveValue('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×10');
  await expect(slowMotion(page)).not.toBeChecked();
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');
  await expect(page.getByTestId('notices')).toHaveText('');
});

test('bad poll interval is named', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const interval = page.locator('#poll-interval');
  const notices = page.getByTestId('notices').getByRole('listitem');

  // Other settings, which a rejected value must leave alone.
  await commitText(page.locator('#payments'), '3');
  await commitText(page.locator('#seed'), '42');

  // NOTE: Chromium hands the app an empty value for text that is not a
  // number in an input of type number, so the notice cannot quote "abc".
  await commitText(interval, 'abc');
  await expect(notices.last()).toHaveText(/^Poll interval: .+; kept 2 s\.$/);
  await expect(interval).toHaveValue('2');

  await commitText(interval, '-3');
  await expect(notices.last()).toHaveText('Poll interval: -3 is negative; kept 2 s.');
  await expect(interval).toHaveValue('2');
  await expect(page.getByTestId('panel-polling').locator('.panel__header p')).toContainText('every 2 s');

  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');

  // Out of range: 10 ms is below the 100 ms minimum and is clamped.
  await commitText(interval, '0.01');
  await expect(notices.last()).toHaveText(
    'Poll interval: 10 ms is not allowed (allowed range is 100 ms to 1 d); using 100 ms.',
  );
  await expect(interval).toHaveValue('0.1');
  await expect(page.getByTestId('panel-polling').locator('.panel__header p')).toContainText('every 100 ms');
  await expect(notices).toHaveCount(3);

  // After a reload the accepted values are back, because only they reached localStorage.
  await reloadApp(page);
  await expect(interval).toHaveValue('0.1');
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');

  expectNoPageErrors(errors);
});

test('bad seed is named', async ({ page }) => {
  await openApp(page);

  await commitText(page.locator('#seed'), '1.5');

  await expect(page.getByTestId('notices').getByRole('listitem')).toHaveText(
    'Seed: "1.5" is not a whole number from 0 to 18446744073709551615; kept 1.',
  );
  await expect(page.locator('#seed')).toHaveValue('1');
});

test('notices can be dismissed', async ({ page }) => {
  await openApp(page);
  const notices = page.getByTestId('notices');

  await commitText(page.locator('#poll-interval'), '-3');
  await expect(notices.getByRole('listitem')).toHaveCount(1);

  await notices.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notices.getByRole('listitem')).toHaveCount(0);
  await expect(notices.getByRole('button')).toHaveCount(0);
});

test('corrupt saved settings give defaults', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.addInitScript((key) => localStorage.setItem(key, '{not json'), SETTINGS_KEY);

  await openApp(page);

  await expect(page.getByTestId('notices').getByRole('listitem')).toHaveText(
    /^Saved settings could not be read \(.+\); using the defaults\.$/,
  );
  await expect(page.locator('#poll-interval')).toHaveValue('2');
  await expect(page.locator('#payments')).toHaveValue('1');
  await expect(page.locator('#seed')).toHaveValue('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×1');
  await expect(slowMotion(page)).toBeChecked();
  await expect(page.getByTestId('clock-end')).toHaveText(DEFAULT_END_CLOCK);

  expectNoPageErrors(errors);
});

test('out-of-range saved interval is clamped', async ({ page }) => {
  const settings = {
    scenario: {
      seed: 1,
      workload: { payments: 1, arrival: { kind: 'steady', gap_ms: 1000 }, duration: { kind: 'fixed', ms: 7000 } },
      network: { latency: { kind: 'fixed', ms: 100 } },
      polling: { interval_ms: 5 },
    },
    speed: 1,
    slow_motion: true,
  };
  await page.addInitScript(([key, text]) => localStorage.setItem(key, text), [SETTINGS_KEY, JSON.stringify(settings)]);

  await openApp(page);

  await expect(page.getByTestId('notices').getByRole('listitem')).toHaveText(
    'Poll interval: 5 ms is not allowed (allowed range is 100 ms to 1 d); using 100 ms.',
  );
  await expect(page.locator('#poll-interval')).toHaveValue('0.1');
});

test('wasm trap shows fatal error', async ({ page }) => {
  await openApp(page);

  // An ordinary script error after start-up leaves the app running.
  await page.evaluate(() => {
    window.dispatchEvent(new ErrorEvent('error', { error: new Error('not a trap') }));
  });
  await expect(page.locator('#fatal-error')).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('data-app-state', 'started');

  await page.evaluate(() => {
    window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') }));
  });

  const box = page.getByRole('alert');
  await expect(box).toBeVisible();
  await expect(box).toHaveAttribute('id', 'fatal-error');
  await expect(box).toContainText('unreachable');
  await expect(box).toContainText('Reload the page');
  await expect(page.locator('html')).toHaveAttribute('data-app-state', 'failed');
});
