// What a reader does with the playground: load it, play the default story,
// change the poll interval and the payment count, show and hide panels, step
// through events, reload, type bad values and survive a wasm trap. Every test starts with empty localStorage, because
// Playwright gives each test a new browser context. The Payments, Polling and
// "Panels and seed" sections of the controls are open by default, and every
// field these tests use lies in one of them.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp, parseClock, reloadApp } from './helpers';

const SETTINGS_KEY = 'pollhook.settings.v2';

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

function skipQuiet(page: Page): Locator {
  return page.getByRole('checkbox', { name: 'Skip quiet stretches' });
}

/**
 * Types text into an input with keystrokes, as a reader does, and presses
 * Enter, which fires the change event that the app listens to.
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
  await expect(page.getByTestId('panel-hybrid'), 'hybrid panel, hidden by default').toHaveCount(0);
  await expect(page.getByTestId('story'), 'story box before a gallery entry is opened').toHaveCount(0);
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

  await expect(play).toHaveText('Play again');
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
  await commitText(page.locator('#poll-interval'), '3s');
  await expect(page.locator('#poll-interval')).toHaveValue('3s');
  await expect(summary).toContainText('every 3 s');
  await end.click();
  await expect(clockEnd).toHaveText('0:09.200');
  await expect(clockNow).toHaveText('0:09.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('3');
  await expect(page.getByTestId('polling-wasted')).toHaveText('2');
  expect(await readCounters(page, 'webhook'), 'webhook counters with a 3 s interval').toEqual(webhookBefore);

  // 5 s, the slider's ninth stop: polls leave at 5 and 10 s.
  await page.locator('#poll-interval-slider').fill('8');
  await expect(page.locator('#poll-interval')).toHaveValue('5s');
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

  const restart = page.getByTestId('restart');
  await expect(restart).toHaveText('Restart');
  await restart.click();
  await expect(clockNow).toHaveText('0:00.000');
  await expect(page.getByTestId('polling-requests')).toHaveText('0');
  await expect(page.getByTestId('panel-polling').locator('svg.stage .token')).toHaveCount(0);

  // At the end, Play becomes "Play again" and starts over from 0:00.000. At
  // ×1 with slow motion the first request lands after 2.1 s of virtual time,
  // so the test pauses long before the counters move.
  await page.getByTestId('end').click();
  await expect(clockNow).toHaveText(DEFAULT_END_CLOCK);
  await expect(play).toHaveText('Play again');
  await play.click();
  await expect(play).toHaveText('Pause');
  await play.click();
  await expect(play).toHaveText('Play');
  expect(parseClock(await clockNow.innerText()), 'clock after Play again').toBeLessThan(2_000);
  await expect(page.getByTestId('polling-requests')).toHaveText('0');
});

test('settings survive reload', async ({ page }) => {
  await openApp(page);

  // A bare number counts as seconds, and the field shows it with its unit.
  await commitText(page.locator('#poll-interval'), '3');
  await expect(page.locator('#poll-interval')).toHaveValue('3s');
  await commitText(page.locator('#payments'), '3');
  await commitText(page.locator('#seed'), '42');
  await page.locator('#show-hybrid').check();
  await setSpeedExponent(page, 1, '×10');
  await slowMotion(page).uncheck();
  await skipQuiet(page).check();
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');
  await expect(page.getByTestId('panel-hybrid')).toBeVisible();

  // Settings are saved as link parameters, the same form as the address bar.
  const saved = await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY);
  expect(saved, 'saved settings').not.toBeNull();
  const settings = new URLSearchParams(saved!);
  expect(settings.get('poll'), 'saved poll interval').toBe('3s');
  expect(settings.get('payments'), 'saved payments').toBe('3');
  expect(settings.get('seed'), 'saved seed').toBe('42');
  expect(settings.get('show'), 'saved panels').toBe('polling,webhook,hybrid');
  expect(settings.get('speed'), 'saved speed').toBe('10');
  expect(settings.get('slow'), 'saved slow motion').toBe('off');
  expect(settings.get('skip'), 'saved skipping').toBe('on');

  await reloadApp(page);

  await expect(page.locator('#poll-interval')).toHaveValue('3s');
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#payments-slider')).toHaveValue('2');
  await expect(page.locator('#seed')).toHaveValue('42');
  await expect(page.locator('#show-hybrid')).toBeChecked();
  await expect(page.getByTestId('panel-hybrid')).toBeVisible();
  await expect(page.locator('#speed')).toHaveValue('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×10');
  await expect(slowMotion(page)).not.toBeChecked();
  await expect(skipQuiet(page)).toBeChecked();
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');
  await expect(page.getByTestId('notices')).toHaveText('');
});

test('payments slider moves over stops', async ({ page }) => {
  await openApp(page);
  const slider = page.locator('#payments-slider');
  const payments = page.locator('#payments');

  // The slider's value is an index into 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, ... 500, 1000, ... 10000.
  await expect(slider).toHaveAttribute('min', '0');
  await expect(slider).toHaveAttribute('max', '26');
  await expect(slider).toHaveValue('0');

  await slider.fill('6');
  await expect(payments).toHaveValue('8');
  await expect(slider).toHaveAttribute('aria-valuetext', '8');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 8');

  await slider.fill('7');
  await expect(payments).toHaveValue('10');

  await slider.fill('20');
  await expect(payments).toHaveValue('500');
  await expect(page.getByTestId('webhook-detected')).toHaveText('0 of 500');

  await slider.fill('26');
  await expect(payments).toHaveValue('10000');
  await expect(page.getByTestId('webhook-detected')).toHaveText('0 of 10000');

  // A typed count moves the slider to the nearest stop.
  await commitText(payments, '100');
  await expect(slider).toHaveValue('15');
  await commitText(payments, '9');
  await expect(payments).toHaveValue('9');
  await expect(slider).toHaveAttribute('aria-valuetext', '9');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 9');

  await expect(page.getByTestId('notices')).toHaveText('');
});

test('panel checkboxes show and hide panels', async ({ page }) => {
  await openApp(page);

  await page.locator('#show-hybrid').check();
  await expect(page.getByTestId('panel-hybrid')).toBeVisible();
  await expect(page.getByTestId('panel-hybrid').getByRole('heading')).toHaveText('Webhook + reconciliation');
  await expect(page.getByTestId('hybrid-detected')).toHaveText('0 of 1');

  await page.locator('#show-polling').uncheck();
  await expect(page.getByTestId('panel-polling')).toHaveCount(0);
  await expect(page.getByTestId('panel-webhook')).toBeVisible();
  await expect(page.getByTestId('panel-hybrid')).toBeVisible();

  // Only the shown strategies run, so a panel shown again is simulated anew
  // and ends with the counts it had before it was hidden.
  await page.locator('#show-polling').check();
  await page.getByTestId('end').click();
  await expect(page.getByTestId('polling-requests')).toHaveText('4');
  await expect(page.getByTestId('polling-wasted')).toHaveText('3');
  await expect(page.getByTestId('hybrid-callbacks')).toHaveText('1');
});

test('bad poll interval is named', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const interval = page.locator('#poll-interval');
  const notices = page.getByTestId('notices').getByRole('listitem');

  // Other settings, which a rejected value must leave alone.
  await commitText(page.locator('#payments'), '3');
  await commitText(page.locator('#seed'), '42');

  await commitText(interval, 'abc');
  await expect(notices.last()).toHaveText(
    'Poll interval: "abc" is not a duration such as 250ms, 2s, 5min, 2h or 3d; kept 2s.',
  );
  await expect(interval).toHaveValue('2s');

  await commitText(interval, '-3');
  await expect(notices.last()).toHaveText(
    'Poll interval: "-3" is negative; kept 2s.',
  );
  await expect(interval).toHaveValue('2s');

  await commitText(interval, '3 weeks');
  await expect(notices.last()).toHaveText('Poll interval: "3 weeks" has the unit "weeks", not ms, s, min, h or d; kept 2s.');
  await expect(interval).toHaveValue('2s');
  await expect(page.getByTestId('panel-polling').locator('.panel__header p')).toContainText('every 2 s');

  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');

  // Out of range: 10 ms is below the 100 ms minimum and is clamped.
  await commitText(interval, '0.01s');
  await expect(notices.last()).toHaveText(
    'Poll interval: 10 ms is not allowed (allowed range is 100 ms to 1 d); using 100 ms.',
  );
  await expect(interval).toHaveValue('100ms');
  await expect(page.getByTestId('panel-polling').locator('.panel__header p')).toContainText('every 100 ms');
  await expect(notices).toHaveCount(4);

  // After a reload the accepted values are back, because only they reached localStorage.
  await reloadApp(page);
  await expect(interval).toHaveValue('100ms');
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');

  expectNoPageErrors(errors);
});

test('bad payment count is named', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const payments = page.locator('#payments');
  const notices = page.getByTestId('notices').getByRole('listitem');

  await commitText(payments, '3');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');

  await commitText(payments, 'abc');
  await expect(notices.last()).toHaveText('Payments: the value "abc" is not a number; kept 3.');
  await expect(payments).toHaveValue('3');

  await commitText(payments, '-2');
  await expect(notices.last()).toHaveText('Payments: -2 is negative; kept 3.');
  await expect(payments).toHaveValue('3');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');

  // Out of range: 0 is below the minimum of 1 and is clamped.
  await commitText(payments, '0');
  await expect(notices.last()).toHaveText('Payments: 0 is not allowed (allowed range is 1 to 10000); using 1.');
  await expect(payments).toHaveValue('1');
  await expect(page.locator('#payments-slider')).toHaveValue('0');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 1');
  await expect(notices).toHaveCount(3);

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
    'Saved setting {not json=: unknown parameter; ignored.',
  );
  await expect(page.locator('#poll-interval')).toHaveValue('2s');
  await expect(page.locator('#payments')).toHaveValue('1');
  await expect(page.locator('#seed')).toHaveValue('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×1');
  await expect(slowMotion(page)).toBeChecked();
  await expect(skipQuiet(page)).not.toBeChecked();
  await expect(page.getByTestId('panel-hybrid')).toHaveCount(0);
  await expect(page.getByTestId('clock-end')).toHaveText(DEFAULT_END_CLOCK);

  expectNoPageErrors(errors);
});

test('out-of-range saved interval is clamped', async ({ page }) => {
  // A hand-edited entry. Every parameter it leaves out takes its default.
  const settings = 'seed=42&payments=3&poll=5ms&speed=10&slow=off&skip=on';
  await page.addInitScript(([key, text]) => localStorage.setItem(key, text), [SETTINGS_KEY, settings]);

  await openApp(page);

  await expect(page.getByTestId('notices').getByRole('listitem')).toHaveText(
    /^Saved setting poll=5ms: .+; using 100ms\.$/,
  );
  await expect(page.locator('#poll-interval')).toHaveValue('100ms');

  // The other saved settings are kept.
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.locator('#seed')).toHaveValue('42');
  await expect(page.locator('output[for="speed"]')).toHaveText('×10');
  await expect(slowMotion(page)).not.toBeChecked();
  await expect(skipQuiet(page)).toBeChecked();
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
  await expect(box).toContainText('The playground stopped because of an internal error: unreachable');
  await expect(box).toContainText('Reload the page');
  await expect(page.locator('html')).toHaveAttribute('data-app-state', 'failed');
});
