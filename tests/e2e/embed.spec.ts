// The embedded view (?embed=1) and the postMessage API a host page uses to
// steer it, as docs/embedding.md describes them. Host pages come from
// page.setContent, so the host (about:blank) and the playground
// (http://127.0.0.1:PORT) have different origins, as on a course site.
import { expect, test, type Frame, type FrameLocator, type Page, type TestInfo } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp } from './helpers';

const SETTINGS_KEY = 'pollhook.settings.v2';

/** Counters the embedded view keeps, as in the data-testid "<strategy>-<name>". */
const KEY_COUNTERS = ['requests', 'wasted', 'callbacks', 'detected', 'delay-mean'] as const;
/** Counters the embedded view hides to save space. */
const SECONDARY_COUNTERS = ['delay-p95', 'delay-max', 'peak-rps', 'mean-rps'] as const;
const STRATEGIES = ['polling', 'webhook'] as const;

/** Data of a message the playground sent to its host. */
interface PlaygroundEvent {
  source: string;
  version: number;
  type: string;
  [field: string]: unknown;
}

declare global {
  interface Window {
    /** Every playground message the host page has accepted, in order of arrival. */
    received: PlaygroundEvent[];
  }
}

/** Returns the address of the embedded view on the test server, with `extra` parameters such as '&t=8.2s' appended. */
function embedAddress(baseURL: string | undefined, extra = ''): string {
  return new URL(`/?embed=1${extra}`, baseURL).href;
}

/**
 * Builds a host page with the playground in an iframe of the given CSS size.
 * Its listener keeps only messages from that iframe that carry the
 * playground's tag, as docs/embedding.md advises.
 */
function hostPage(src: string, width: string, height: string): string {
  return `<!doctype html>
<html lang="en">
  <head><title>Course page</title><style>body { margin: 0 } iframe { display: block; border: 0 }</style></head>
  <body>
    <iframe id="playground" title="Polling vs webhooks playground" src="${src}" style="width: ${width}; height: ${height}"></iframe>
    <script>
      // A block, because page.setContent keeps the window and its global declarations.
      {
        window.received = [];
        const iframe = document.getElementById('playground');
        window.addEventListener('message', (event) => {
          if (event.source !== iframe.contentWindow) return;
          if (!event.data || event.data.source !== 'pollhook') return;
          window.received.push(event.data);
        });
      }
    </script>
  </body>
</html>`;
}

/** Opens a host page with the embedded playground and waits until the app in the frame has started. */
async function openHost(
  page: Page,
  baseURL: string | undefined,
  width: string,
  height: string,
  extra = '',
): Promise<Frame> {
  await page.setContent(hostPage(embedAddress(baseURL, extra), width, height));
  const frame = await (await page.locator('#playground').elementHandle())!.contentFrame();
  expect(frame, 'frame of the playground iframe').not.toBeNull();
  await expect(frame!.locator('html')).toHaveAttribute('data-app-state', 'started');
  return frame!;
}

function playground(page: Page): FrameLocator {
  return page.frameLocator('#playground');
}

/** Posts data to the playground's window, as a host page does. */
async function send(page: Page, data: unknown): Promise<void> {
  await page.evaluate((message) => {
    const iframe = document.getElementById('playground') as HTMLIFrameElement;
    iframe.contentWindow!.postMessage(message, '*');
  }, data);
}

/** Returns how many playground messages the host has accepted so far. */
async function receivedCount(page: Page): Promise<number> {
  return page.evaluate(() => window.received.length);
}

async function receivedOfType(page: Page, type: string): Promise<PlaygroundEvent[]> {
  return page.evaluate((wanted) => window.received.filter((event) => event.type === wanted), type);
}

/**
 * Waits for the first message, from index `from` on, whose fields equal
 * every field in `fields`, and returns it. A timeout names the fields
 * expected and lists the messages that did arrive.
 */
async function waitForEvent(page: Page, from: number, fields: Record<string, unknown>): Promise<PlaygroundEvent> {
  try {
    const handle = await page.waitForFunction(
      ({ start, expected }) =>
        window.received
          .slice(start)
          .find((event) => Object.entries(expected).every(([key, value]) => event[key] === value)) ?? null,
      { start: from, expected: fields },
      { timeout: 10_000 },
    );
    return (await handle.jsonValue()) as PlaygroundEvent;
  } catch (error) {
    const received = await page.evaluate((start) => window.received.slice(start), from);
    throw new Error(
      `no message with ${JSON.stringify(fields)} arrived from index ${from} on: ${String(error)}\n` +
        `messages received: ${JSON.stringify(received)}`,
    );
  }
}

test('embed hides page chrome', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?embed=1');

  await expect(page.locator('.app')).toHaveClass(/\bapp--embed\b/);
  await expect(page.locator('.masthead'), 'masthead').toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Page tools' }), 'toolbar').toHaveCount(0);
  await expect(page.locator('.layout__controls'), 'scenario controls').toHaveCount(0);
  await expect(page.locator('#poll-interval'), 'poll interval field').toHaveCount(0);
  await expect(page.locator('.gallery'), 'gallery').toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Legend' }), 'legend').toHaveCount(0);

  await expect(page.getByRole('group', { name: 'Playback' })).toBeVisible();
  for (const control of ['restart', 'play', 'step', 'end', 'clock']) {
    await expect(page.getByTestId(control), `playback ${control}`).toBeVisible();
  }
  for (const strategy of STRATEGIES) {
    const panel = page.getByTestId(`panel-${strategy}`);
    await expect(panel, `${strategy} panel`).toBeVisible();
    await expect(panel.locator('svg.stage'), `${strategy} stage`).toBeVisible();
    for (const name of KEY_COUNTERS) {
      await expect(page.getByTestId(`${strategy}-${name}`), `${strategy} ${name} counter`).toBeVisible();
    }
    for (const name of SECONDARY_COUNTERS) {
      await expect(page.getByTestId(`${strategy}-${name}`), `${strategy} ${name} counter, hidden when embedded`).toBeHidden();
    }
  }

  // The playback still works, and an embedded copy neither saves settings
  // nor adds history entries to the host page's back button.
  const historyLength = await page.evaluate(() => history.length);
  await page.locator('#speed').fill('1');
  await page.getByTestId('play').click();
  await page.getByTestId('end').click();
  await expect(page.getByTestId('clock-now')).toHaveText('0:08.200');
  await expect(page.getByTestId('polling-requests')).toHaveText('4');
  await expect(page.getByTestId('polling-wasted')).toHaveText('3');
  await expect(page.getByTestId('webhook-callbacks')).toHaveText('1');
  await expect(page).toHaveURL(/[?&]speed=10(&|$)/);
  expect(await page.evaluate(() => history.length), 'history entries after playing').toBe(historyLength);
  expect(await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY), 'saved settings').toBeNull();

  expectNoPageErrors(errors);
});

/**
 * Iframe sizes and links from the table in docs/embedding.md. `fits` marks
 * those that must show everything without scrolling, and `extra` contains
 * link parameters added to ?embed=1.
 */
const FRAME_SIZES = [
  { name: '320x400', width: '320px', height: '400px', viewport: { width: 320, height: 400 }, fits: false, extra: '' },
  { name: '320x780', width: '320px', height: '780px', viewport: { width: 320, height: 780 }, fits: true, extra: '' },
  { name: '360x740', width: '360px', height: '740px', viewport: { width: 360, height: 740 }, fits: true, extra: '' },
  { name: '768x464', width: '768px', height: '464px', viewport: { width: 768, height: 464 }, fits: true, extra: '' },
  {
    name: '768x464-500-payments',
    width: '768px',
    height: '464px',
    viewport: { width: 768, height: 464 },
    fits: true,
    extra: '&payments=500',
  },
  {
    name: '768x680-three-panels',
    width: '768px',
    height: '680px',
    viewport: { width: 768, height: 680 },
    fits: true,
    extra: '&show=polling,webhook,hybrid',
  },
  { name: '1280x720', width: '1280px', height: '720px', viewport: { width: 1280, height: 720 }, fits: true, extra: '' },
  {
    name: '1280x720-three-panels',
    width: '1280px',
    height: '720px',
    viewport: { width: 1280, height: 720 },
    fits: true,
    extra: '&show=polling,webhook,hybrid',
  },
  { name: '1920x1080', width: '1920px', height: '1080px', viewport: { width: 1920, height: 1080 }, fits: true, extra: '' },
  { name: '100pct-x600', width: '100%', height: '600px', viewport: { width: 1280, height: 720 }, fits: true, extra: '' },
  {
    name: '100pct-x600-three-panels',
    width: '100%',
    height: '600px',
    viewport: { width: 1280, height: 720 },
    fits: true,
    extra: '&show=polling,webhook,hybrid',
  },
];

/** Every gallery entry with its number of variants, as src/gallery.rs defines them. */
const STORIES: [string, number][] = [
  ['duplicate-delivery', 2],
  ['slow-handler', 2],
  ['out-of-order', 3],
  ['signature-reserialized', 2],
  ['endpoint-down', 2],
  ['lost-webhook', 2],
  ['rate-limited-poller', 3],
  ['webhook-before-record', 2],
  ['replay', 2],
];

interface FrameLayout {
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  /** Test ids of the elements in `ids` that lie partly outside the frame's viewport. */
  outside: string[];
}

/** Measures the frame's document and finds which of the given elements stick out of its viewport. */
async function measureLayout(frame: Frame, ids: string[]): Promise<FrameLayout> {
  return frame.evaluate((testIds) => {
    const root = document.documentElement;
    const outside = testIds.filter((id) => {
      const box = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      return box.left < 0 || box.top < 0 || box.right > root.clientWidth || box.bottom > root.clientHeight;
    });
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      scrollHeight: root.scrollHeight,
      clientHeight: root.clientHeight,
      outside,
    };
  }, ids);
}

async function saveFrameScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const screenshotPath = testInfo.outputPath(`${name}.png`);
  await page.locator('#playground').screenshot({ path: screenshotPath });
  await testInfo.attach(name, { path: screenshotPath, contentType: 'image/png' });
}

for (const size of FRAME_SIZES) {
  test(`embed layout in ${size.name} frame`, async ({ page, baseURL }, testInfo) => {
    const errors = collectPageErrors(page);
    await page.setViewportSize(size.viewport);
    const frame = await openHost(page, baseURL, size.width, size.height, size.extra);
    const app = playground(page);
    const strategies: string[] = size.extra.includes('hybrid') ? [...STRATEGIES, 'hybrid'] : [...STRATEGIES];

    await expect(app.getByTestId('play')).toBeVisible();
    for (const strategy of strategies) {
      // Above 200 payments the stage is a canvas of flows instead of an SVG of rows.
      await expect(app.getByTestId(`panel-${strategy}`).locator('.stage'), `${strategy} stage`).toBeVisible();
    }

    // Measured at the start and at the end, where Play reads "Play again"
    // and the counters hold their longest values.
    const mustFit = [
      'play',
      ...strategies.flatMap((strategy) => [`panel-${strategy}`, ...KEY_COUNTERS.map((name) => `${strategy}-${name}`)]),
    ];
    for (const moment of ['start', 'end']) {
      if (moment === 'end') {
        await app.getByTestId('end').click();
        await expect(app.getByTestId('play')).toHaveText('Play again');
      }
      const layout = await measureLayout(frame, size.fits ? mustFit : ['play']);
      const where = `${size.name} frame at the ${moment}`;

      expect(layout.scrollWidth, `${where}: document width (no horizontal scrollbar)`).toBeLessThanOrEqual(layout.clientWidth);
      if (size.fits) {
        expect(layout.scrollHeight, `${where}: document height (no vertical scrollbar)`).toBeLessThanOrEqual(layout.clientHeight);
      }
      expect(layout.outside, `${where}: elements outside the frame's viewport`).toEqual([]);
    }

    await expect(app.getByTestId('webhook-callbacks')).not.toHaveText('0');
    await saveFrameScreenshot(page, testInfo, `embed-${size.name}`);
    expectNoPageErrors(errors);
  });
}

test('every story fits 768x600 frame', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  await page.setViewportSize({ width: 768, height: 600 });

  for (const [key, variants] of STORIES) {
    for (let variant = 0; variant < variants; variant += 1) {
      const frame = await openHost(page, baseURL, '768px', '600px', `&story=${key}:${variant}`);
      const app = playground(page);
      await expect(app.getByTestId('story'), `story box of ${key}:${variant}`).toBeVisible();
      await expect(app.getByTestId('notices'), `notices of ${key}:${variant}`).toHaveText('');

      for (const moment of ['start', 'end']) {
        if (moment === 'end') {
          await app.getByTestId('end').click();
          await expect(app.getByTestId('play')).toHaveText('Play again');
        }
        const panels = await app.locator('.panel').evaluateAll((elements) =>
          elements.map((element) => element.getAttribute('data-testid')!),
        );
        const layout = await measureLayout(frame, ['play', 'story', ...panels]);
        const where = `story=${key}:${variant} at the ${moment}`;
        expect(layout.scrollWidth, `${where}: document width`).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.scrollHeight, `${where}: document height`).toBeLessThanOrEqual(layout.clientHeight);
        expect(layout.outside, `${where}: elements outside the frame's viewport`).toEqual([]);
      }
    }
  }

  expectNoPageErrors(errors);
});

test('host commands steer embed', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  await openHost(page, baseURL, '768px', '464px');
  const app = playground(page);

  const ready = await waitForEvent(page, 0, { type: 'ready' });
  expect(ready).toEqual({ source: 'pollhook', version: 1, type: 'ready' });
  const first = await waitForEvent(page, 0, { type: 'state' });
  expect(first, 'first state event').toEqual({
    source: 'pollhook',
    version: 1,
    type: 'state',
    time_ms: 0,
    end_ms: 8_200,
    playing: false,
    params: 'embed=1',
    ignored_messages: 0,
  });

  // Play.
  let mark = await receivedCount(page);
  await send(page, { type: 'play' });
  const playing = await waitForEvent(page, mark, { type: 'state', playing: true });
  expect(playing.end_ms, 'end_ms while playing').toBe(8_200);
  await expect(app.getByTestId('play')).toHaveText('Pause');

  // Seek past both detections: the webhook gateway learns the outcome at
  // 7.1 s, 100 ms after ABC Payment completes the payment at 7 s, and the
  // polling gateway at 8.2 s, from the response to its fourth poll.
  mark = await receivedCount(page);
  await send(page, { type: 'seek', time: '8.2s' });
  const atEnd = await waitForEvent(page, mark, { type: 'state', time_ms: 8_200 });
  expect(atEnd.playing, 'playing after seek').toBe(false);
  await expect(app.getByTestId('clock-now')).toHaveText('0:08.200');
  await expect(app.getByTestId('polling-requests')).toHaveText('4');

  const webhookDetected = {
    source: 'pollhook',
    version: 1,
    type: 'payment-detected',
    strategy: 'webhook',
    payment: 1,
    status: 'succeeded',
    at_ms: 7_100,
    delay_ms: 100,
  };
  const pollingDetected = { ...webhookDetected, strategy: 'polling', at_ms: 8_200, delay_ms: 1_200 };
  await waitForEvent(page, 0, { type: 'payment-detected', strategy: 'polling' });
  expect(await receivedOfType(page, 'payment-detected'), 'detections after seeking to 8.2 s').toEqual([
    webhookDetected,
    pollingDetected,
  ]);

  // A seek back, here in milliseconds, sends no detection, and passing the
  // moments again sends them again.
  mark = await receivedCount(page);
  await send(page, { type: 'seek', time: 3_000 });
  await waitForEvent(page, mark, { type: 'state', time_ms: 3_000, playing: false });
  await expect(app.getByTestId('polling-requests')).toHaveText('1');
  expect(await receivedOfType(page, 'payment-detected'), 'detections after seeking back to 3 s').toHaveLength(2);

  mark = await receivedCount(page);
  await send(page, { type: 'seek', time: 8_200 });
  await waitForEvent(page, mark, { type: 'state', time_ms: 8_200 });
  await waitForEvent(page, mark, { type: 'payment-detected', strategy: 'polling' });
  expect(await receivedOfType(page, 'payment-detected'), 'detections after passing them twice').toEqual([
    webhookDetected,
    pollingDetected,
    webhookDetected,
    pollingDetected,
  ]);

  // Set: polls leave at 5 s and 10 s, so at 8.2 s one request has reached
  // ABC Payment and its response was pending. The time stays at 8.2 s.
  mark = await receivedCount(page);
  await send(page, { type: 'set', params: 'poll=5s' });
  const changed = await waitForEvent(page, mark, { type: 'state', end_ms: 10_200 });
  expect(new URLSearchParams(changed.params as string).get('poll'), 'poll in the state params').toBe('5s');
  expect(changed.time_ms, 'time_ms after set').toBe(8_200);
  expect(changed.playing, 'playing after set').toBe(false);
  await expect(app.getByTestId('clock-end')).toHaveText('0:10.200');
  await expect(app.getByTestId('polling-requests')).toHaveText('1');
  await expect(app.getByTestId('polling-wasted')).toHaveText('1');
  await expect(app.getByTestId('polling-detected')).toHaveText('0 of 1');
  await expect(app.getByTestId('webhook-callbacks')).toHaveText('1');
  await expect(app.getByTestId('notices')).toHaveText('');

  // Only the new run's polling detection, at 10.2 s, lies ahead.
  mark = await receivedCount(page);
  await send(page, { type: 'seek', time: '10.2s' });
  await waitForEvent(page, mark, { type: 'state', time_ms: 10_200 });
  const late = await waitForEvent(page, mark, { type: 'payment-detected' });
  expect(late, 'detection with poll=5s').toEqual({ ...pollingDetected, at_ms: 10_200, delay_ms: 3_200 });
  await expect(app.getByTestId('polling-requests')).toHaveText('2');

  // Pause.
  mark = await receivedCount(page);
  await send(page, { type: 'play' });
  await waitForEvent(page, mark, { type: 'state', playing: true });
  mark = await receivedCount(page);
  await send(page, { type: 'pause' });
  await waitForEvent(page, mark, { type: 'state', playing: false });
  await expect(app.getByTestId('play')).not.toHaveText('Pause');

  expectNoPageErrors(errors);
});

test('frame opened at t reports detections', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  await openHost(page, baseURL, '768px', '464px', '&t=8.2s');

  await waitForEvent(page, 0, { type: 'payment-detected', strategy: 'polling' });
  const received = await page.evaluate(() => window.received);
  expect(
    received.map((event) => `${event.type} ${event.strategy ?? ''}`.trim()),
    'messages in order of arrival',
  ).toEqual(['ready', 'state', 'payment-detected webhook', 'payment-detected polling']);
  expect(received[1].time_ms, 'time of the first state').toBe(8_200);
  expect(received[1].playing, 'playing in the first state').toBe(false);

  expectNoPageErrors(errors);
});

test('malformed messages are ignored', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  await openHost(page, baseURL, '768px', '464px');
  const app = playground(page);
  await waitForEvent(page, 0, { type: 'ready' });
  await waitForEvent(page, 0, { type: 'state', ignored_messages: 0 });

  const malformed: { name: string; data: unknown }[] = [
    { name: 'a string', data: 'play' },
    { name: 'a number', data: 42 },
    { name: 'an unknown type', data: { type: 'explode' } },
    { name: 'a string of 1 MB', data: 'x'.repeat(1_000_000) },
    { name: 'null', data: null },
    { name: 'an array', data: [{ type: 'play' }] },
    { name: 'a seek without time', data: { type: 'seek' } },
    { name: 'a seek to a word', data: { type: 'seek', time: 'soon' } },
    { name: 'a seek to a negative time', data: { type: 'seek', time: -5 } },
    { name: 'a set without params', data: { type: 'set' } },
    { name: 'a set longer than 4096 bytes', data: { type: 'set', params: `poll=${'1'.repeat(5_000)}s` } },
  ];
  for (const { data } of malformed) {
    await send(page, data);
  }
  // Values that JSON.stringify cannot write: a cycle and a BigInt.
  await page.evaluate(() => {
    const target = (document.getElementById('playground') as HTMLIFrameElement).contentWindow!;
    const cyclic: Record<string, unknown> = { type: 'play' };
    cyclic.self = cyclic;
    target.postMessage(cyclic, '*');
    target.postMessage({ type: 'seek', time: BigInt(5) }, '*');
  });
  const sent = malformed.length + 2;

  const mark = await receivedCount(page);
  await send(page, { type: 'get-state' });
  const state = await waitForEvent(page, mark, { type: 'state', ignored_messages: sent });
  expect(state.playing, 'playing after the malformed messages').toBe(false);
  expect(state.time_ms, 'time after the malformed messages').toBe(0);
  expect(state.params, 'params after the malformed messages').toBe('embed=1');
  await expect(app.getByTestId('play')).toHaveText('Play');
  await expect(app.getByTestId('clock-now')).toHaveText('0:00.000');
  await expect(app.getByTestId('notices')).toHaveText('');

  // The page still takes commands.
  const before = await receivedCount(page);
  await send(page, { type: 'seek', time: '8.2s' });
  await waitForEvent(page, before, { type: 'state', time_ms: 8_200, ignored_messages: sent });
  await expect(app.getByTestId('polling-requests')).toHaveText('4');

  expectNoPageErrors(errors);
});

test('set shows markup as text', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  const frame = await openHost(page, baseURL, '768px', '464px');
  const app = playground(page);
  await waitForEvent(page, 0, { type: 'ready' });

  const markup = '<img src=x onerror="document.documentElement.dataset.injected=1">';
  await send(page, { type: 'set', params: `poll=${markup}` });

  const notice = app.getByTestId('notices').getByRole('listitem');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('Parameter poll=<img src=x');
  await expect(app.getByTestId('notices').locator('img'), 'elements made from the message').toHaveCount(0);
  expect(await frame.evaluate(() => document.documentElement.dataset.injected), 'attribute set by injected markup').toBeUndefined();
  await expect(app.getByTestId('clock-end'), 'end with the poll interval kept').toHaveText('0:08.200');

  expectNoPageErrors(errors);
});

test('embedded story leaves host alone', async ({ page, baseURL }) => {
  const errors = collectPageErrors(page);
  // A course page whose text field has focus, with the playground below the first screen.
  await page.setContent(`<!doctype html>
<html lang="en">
  <head><title>Course page</title></head>
  <body style="margin: 0">
    <h1>Webhooks</h1>
    <label>Notes <input id="notes" autofocus></label>
    <div style="height: 1500px"></div>
    <iframe id="playground" title="Polling vs webhooks playground" src="${new URL('/?embed=1&story=lost-webhook', baseURL).href}"
            width="768" height="464" style="border: 0"></iframe>
    <div style="height: 1500px"></div>
  </body>
</html>`);
  const app = playground(page);
  await expect(app.locator('html')).toHaveAttribute('data-app-state', 'started');
  await expect(app.getByTestId('story')).toBeVisible();
  // Long enough for the story box's effects to have run.
  await expect(app.getByTestId('panel-webhook')).toBeVisible();

  expect(await page.evaluate(() => window.scrollY), 'host page scroll position').toBe(0);
  await expect(page.locator('#notes'), 'host text field').toBeFocused();

  expectNoPageErrors(errors);
});

test('unframed page posts nothing', async ({ page }) => {
  const errors = collectPageErrors(page);
  // Records every postMessage call on the page's own window, which is
  // window.parent when the page is not in a frame.
  await page.addInitScript(() => {
    const posted: unknown[] = [];
    (window as unknown as { posted: unknown[] }).posted = posted;
    const original = window.postMessage.bind(window);
    window.postMessage = ((message: unknown, ...rest: [string, Transferable[]?]) => {
      posted.push(message);
      original(message, ...rest);
    }) as typeof window.postMessage;
  });

  await openApp(page, '/?embed=1');
  await page.getByTestId('play').click();
  await page.getByTestId('end').click();
  await expect(page.getByTestId('polling-requests')).toHaveText('4');

  const posted = await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted);
  expect(posted, 'messages posted outside a frame').toEqual([]);
  expectNoPageErrors(errors);
});
