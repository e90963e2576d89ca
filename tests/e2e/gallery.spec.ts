// The gallery on the page: every entry and every variant, opened from its
// button and moved to the end of the run. The counters of the variant's panel
// must show the exact counts that tests/gallery.rs asserts natively for the
// same scenario, so the page and the simulation cannot drift apart.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp, parseClock } from './helpers';

type Strategy = 'polling' | 'webhook' | 'hybrid';

/** Counters shown only for runs in which they are ever above zero, by their data-testid suffix. */
const PROBLEM_COUNTERS = [
  'rate-limited',
  'retries',
  'timeouts',
  'abandoned',
  'duplicates-received',
  'duplicates-processed',
  'out-of-order',
  'dropped',
  'signature-rejected',
  'replays-accepted',
  'never-learned',
  'learned-wrong',
] as const;

type ProblemCounter = (typeof PROBLEM_COUNTERS)[number];

/**
 * Counts at the end of a run, as tests/gallery.rs asserts them, keyed by the
 * counter's data-testid suffix. A missing key means 0, as with
 * `..Counts::default()` there. `detected` is the number of payments known final.
 */
type Counts = Partial<Record<'requests' | 'callbacks' | 'detected' | ProblemCounter, number>>;

interface Variant {
  /** Text of the variant's button, also shown in brackets after the story title. */
  label: string;
  /** The strategy whose panel shows the failure or the cure, as src/gallery.rs sets it. */
  strategy: Strategy;
  counts: Counts;
  /** Text of the "Longest delay" counter, for the variants whose maximum delay tests/gallery.rs asserts. */
  delayMax?: string;
}

interface Entry {
  key: string;
  title: string;
  payments: number;
  /** The failure first, then the cures, in the order of their buttons. */
  variants: Variant[];
}

const ENTRIES: Entry[] = [
  {
    key: 'duplicate-delivery',
    title: 'A duplicate delivery is processed twice',
    payments: 1,
    variants: [
      {
        label: 'Failure',
        strategy: 'webhook',
        counts: {
          callbacks: 2,
          retries: 1,
          timeouts: 1,
          'duplicates-received': 1,
          'duplicates-processed': 1,
          detected: 1,
        },
      },
      {
        label: 'Cure: deduplicate by event id',
        strategy: 'webhook',
        counts: { callbacks: 2, retries: 1, timeouts: 1, 'duplicates-received': 1, detected: 1 },
      },
    ],
  },
  {
    key: 'slow-handler',
    title: 'A slow handler times out and is retried while it still runs',
    payments: 1,
    variants: [
      {
        label: 'Failure',
        strategy: 'webhook',
        counts: {
          callbacks: 10,
          retries: 9,
          timeouts: 10,
          abandoned: 1,
          'duplicates-received': 9,
          'duplicates-processed': 9,
          detected: 1,
        },
      },
      { label: 'Cure: store, answer, then process', strategy: 'webhook', counts: { callbacks: 1, detected: 1 } },
    ],
  },
  {
    key: 'out-of-order',
    title: 'Events applied out of order leave a payment in the wrong state',
    payments: 1,
    variants: [
      {
        label: 'Failure',
        strategy: 'webhook',
        counts: { callbacks: 3, retries: 1, 'out-of-order': 1, detected: 1, 'learned-wrong': 1 },
      },
      {
        label: 'Cure: status only moves forward',
        strategy: 'webhook',
        counts: { callbacks: 3, retries: 1, detected: 1 },
      },
      {
        label: 'Cure: fetch the payment',
        strategy: 'webhook',
        counts: { requests: 2, callbacks: 3, retries: 1, detected: 1 },
      },
    ],
  },
  {
    key: 'signature-reserialized',
    title: 'A signature fails after the body is re-serialized',
    payments: 1,
    variants: [
      {
        label: 'Failure',
        strategy: 'webhook',
        counts: { callbacks: 10, retries: 9, abandoned: 1, 'signature-rejected': 10, 'never-learned': 1 },
      },
      { label: 'Cure: verify the raw bytes', strategy: 'webhook', counts: { callbacks: 1, detected: 1 } },
    ],
  },
  {
    key: 'endpoint-down',
    title: 'An endpoint down for two hours catches up through retries',
    payments: 4,
    variants: [
      {
        label: 'Failure: no retries',
        strategy: 'webhook',
        counts: { callbacks: 4, abandoned: 4, 'never-learned': 4 },
      },
      {
        label: 'Cure: retry on a schedule',
        strategy: 'webhook',
        counts: { callbacks: 19, retries: 15, detected: 4 },
        // 2 h 35 min 5.9 s, which the page rounds to tenths of an hour.
        delayMax: '2.6 h',
      },
    ],
  },
  {
    key: 'lost-webhook',
    title: 'A webhook lost for good, caught by reconciliation',
    payments: 1,
    variants: [
      {
        label: 'Failure: webhooks only',
        strategy: 'webhook',
        counts: { callbacks: 1, dropped: 1, 'never-learned': 1 },
      },
      {
        label: 'Cure: reconcile every 30 min',
        strategy: 'hybrid',
        counts: { requests: 1, callbacks: 1, dropped: 1, detected: 1 },
        // 29 min 53.2 s: reconciliation fetches the payment 30 min after it is
        // recorded, and the delay counts from its completion at 7 s.
        delayMax: '29.9 min',
      },
    ],
  },
  {
    key: 'rate-limited-poller',
    title: 'A poller hits the rate limit',
    payments: 200,
    variants: [
      {
        label: 'Failure: poll every second',
        strategy: 'polling',
        counts: { requests: 7_823, 'rate-limited': 6_389, detected: 200 },
      },
      {
        label: 'Cure: back off exponentially',
        strategy: 'polling',
        counts: { requests: 1_763, 'rate-limited': 1_454, detected: 200 },
      },
      { label: 'Cure: switch to webhooks', strategy: 'webhook', counts: { callbacks: 200, detected: 200 } },
    ],
  },
  {
    key: 'webhook-before-record',
    title: 'The webhook arrives before the gateway knows the payment',
    payments: 1,
    variants: [
      {
        label: 'Failure: answer 200 and drop',
        strategy: 'webhook',
        counts: { callbacks: 1, dropped: 1, 'never-learned': 1 },
      },
      {
        label: 'Cure: answer 409 until known',
        strategy: 'webhook',
        counts: { callbacks: 2, retries: 1, 'duplicates-received': 1, detected: 1 },
        // 5.3 s: ABC Payment retries 5 s after the 409 lands.
        delayMax: '5.3 s',
      },
    ],
  },
  {
    key: 'replay',
    title: 'A replayed delivery is accepted',
    payments: 1,
    variants: [
      {
        label: 'Failure: no verification',
        strategy: 'webhook',
        counts: {
          callbacks: 1,
          'duplicates-received': 1,
          'duplicates-processed': 1,
          'replays-accepted': 1,
          detected: 1,
        },
      },
      {
        label: 'Cure: verify with a tolerance',
        strategy: 'webhook',
        counts: { callbacks: 1, 'signature-rejected': 1, detected: 1 },
      },
    ],
  },
];

/**
 * A gallery run longer than this, in virtual milliseconds, plays at
 * end / STORY_WALL_MS with quiet stretches skipped, so that it lasts about
 * 45 s on screen. It copies STORY_WALL_MS in src/state.rs.
 */
const STORY_WALL_MS = 45_000;

/** Rounds to three significant digits, as the page does with a story's speed. */
function roundToThreeDigits(value: number): number {
  const scale = 10 ** (2 - Math.floor(Math.log10(value)));
  return Math.round(value * scale) / scale;
}

/** Formats a speed as the page's speed label does: "×1.33", "×40", "×6,050". */
function formatSpeed(speed: number): string {
  if (speed < 10) {
    return `×${Math.round(speed * 100) / 100}`;
  }
  return `×${Math.round(speed).toLocaleString('en-US')}`;
}

/** Checks every counter that tests/gallery.rs asserts, each with its own soft assertion so one run lists every mismatch. */
async function expectCounts(page: Page, entry: Entry, variant: Variant): Promise<void> {
  const { strategy, counts } = variant;
  const where = `${entry.key}, ${variant.label}, ${strategy} panel`;
  const counter = (name: string) => page.getByTestId(`${strategy}-${name}`);

  await expect.soft(counter('requests'), `${where}: requests`).toHaveText(String(counts.requests ?? 0));
  await expect.soft(counter('callbacks'), `${where}: callbacks`).toHaveText(String(counts.callbacks ?? 0));
  await expect
    .soft(counter('detected'), `${where}: payments known final`)
    .toHaveText(`${counts.detected ?? 0} of ${entry.payments}`);

  for (const name of PROBLEM_COUNTERS) {
    const expected = counts[name] ?? 0;
    if (expected > 0) {
      await expect.soft(counter(name), `${where}: ${name}`).toHaveText(String(expected));
    } else {
      await expect.soft(counter(name), `${where}: ${name} is zero, so it is not shown`).toHaveCount(0);
    }
  }

  if (variant.delayMax !== undefined) {
    await expect.soft(counter('delay-max'), `${where}: longest delay`).toHaveText(variant.delayMax);
  }
}

/**
 * Checks that exactly the button of the variant at `pressed` has
 * aria-pressed="true" in a group of variant buttons, whose test ids are
 * `<idPrefix>-<index>`.
 */
async function expectPressed(
  container: Locator,
  idPrefix: string,
  entry: Entry,
  pressed: number,
  where: string,
): Promise<void> {
  for (let index = 0; index < entry.variants.length; index += 1) {
    await expect(container.getByTestId(`${idPrefix}-${index}`), `${where}: variant button ${index}`).toHaveAttribute(
      'aria-pressed',
      String(index === pressed),
    );
  }
}

async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const screenshotPath = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach(name, { path: screenshotPath, contentType: 'image/png' });
}

for (const entry of ENTRIES) {
  test(`${entry.key} matches native counts`, async ({ page }, testInfo) => {
    const errors = collectPageErrors(page);
    await openApp(page);
    const card = page.getByTestId(`gallery-${entry.key}`);
    const story = page.getByTestId('story');
    const play = page.getByTestId('play');
    const clockNow = page.getByTestId('clock-now');
    const clockEnd = page.getByTestId('clock-end');

    await expect(card.getByRole('heading')).toHaveText(entry.title);
    await expect(card.getByRole('button')).toHaveText(entry.variants.map((variant) => variant.label));
    const explanation = (await card.locator('p').innerText()).trim();
    expect(explanation.length, 'explanation length on the card').toBeGreaterThan(200);

    for (const [index, variant] of entry.variants.entries()) {
      await test.step(variant.label, async () => {
        // The story box repeats the variant buttons with the test ids
        // story-<index>, so they never clash with the card's.
        await card.getByTestId(`gallery-${entry.key}-${index}`).click();

        await expect(story).toBeVisible();
        await expect(story.getByRole('heading')).toHaveText(`${entry.title} (${variant.label})`);
        await expect(story.locator('p')).toHaveText(explanation);
        await expectPressed(card, `gallery-${entry.key}`, entry, index, 'gallery card');
        await expectPressed(story, 'story', entry, index, 'story box');
        await expect(page.getByTestId(`panel-${variant.strategy}`)).toBeVisible();

        // Opening a variant plays it from the start, and a long run gets a
        // higher speed and skips quiet stretches.
        await expect(play, 'play button after opening the variant').toHaveText('Pause');
        // The box sits far above the gallery, so it scrolls into view and its heading takes focus.
        await expect(story.getByRole('heading'), 'story heading after opening the variant').toBeFocused();
        const endMs = parseClock(await clockEnd.innerText());
        if (endMs > STORY_WALL_MS) {
          await expect(page.locator('output[for="speed"]'), `speed for a run of ${endMs} ms`).toHaveText(
            formatSpeed(roundToThreeDigits(endMs / STORY_WALL_MS)),
          );
          await expect(page.locator('#skip-quiet'), `skip quiet for a run of ${endMs} ms`).toBeChecked();
        }

        await page.getByTestId('end').click();
        await expect(clockNow).toHaveText(await clockEnd.innerText());
        await expect(play).toHaveText('Play again');

        await expectCounts(page, entry, variant);

        if (index === 0) {
          await saveScreenshot(page, testInfo, `${entry.key}-failure-end`);
        }
      });
    }

    await expect(page.getByTestId('notices')).toHaveText('');
    expectNoPageErrors(errors);
  });
}
