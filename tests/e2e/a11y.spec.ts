// Accessibility checks. axe-core finds no WCAG 2 A or AA violation on any
// view of the page, in the light and the dark theme, and the text on the
// stages, which axe-core cannot check, meets 4.5:1. Every control is reached
// with Tab and shows a focus ring. The dialogs open and close from the
// keyboard, and the narration live region announces what the gateways learn.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp } from './helpers';

/** axe-core tags of the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA. */
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface View {
  name: string;
  path: string;
  /** What the reader does after the page opens to reach the view. */
  open?: (page: Page) => Promise<void>;
  /** Only this part of the page is analysed, for views that add a dialog over the main page. */
  include?: string;
}

async function openDialog(page: Page, button: string, title: string): Promise<void> {
  await page.getByTestId(button).click();
  await expect(page.getByRole('dialog', { name: title })).toBeVisible();
}

const VIEWS: View[] = [
  { name: 'main page', path: '/' },
  {
    // At the end every log line and counter has a value, with labels in token colours.
    name: 'main page at the end',
    path: '/',
    open: async (page) => {
      await page.getByTestId('end').click();
      await expect(page.getByTestId('polling-detected')).toHaveText('1 of 1');
    },
  },
  { name: 'embed view', path: '/?embed=1' },
  { name: 'presentation', path: '/?present=1&t=8.2s' },
  {
    // Problem counters and problem lines in the log.
    name: 'gallery story at the end',
    path: '/?story=duplicate-delivery',
    open: async (page) => {
      await page.getByTestId('end').click();
      await expect(page.getByTestId('webhook-duplicates-processed')).toHaveText('1');
    },
  },
  {
    name: 'tour',
    path: '/',
    open: async (page) => {
      await page.getByTestId('open-tour').click();
      await expect(page.getByTestId('tour-progress')).toHaveText('Step 1 of 8');
    },
  },
  {
    name: 'share dialog',
    path: '/',
    open: (page) => openDialog(page, 'open-share', 'Share this scenario'),
    include: '[role="dialog"]',
  },
  {
    name: 'shortcuts dialog',
    path: '/',
    open: (page) => openDialog(page, 'open-shortcuts', 'Keyboard shortcuts'),
    include: '[role="dialog"]',
  },
  {
    name: 'export dialog',
    path: '/',
    open: (page) => openDialog(page, 'open-export', 'Export this run'),
    include: '[role="dialog"]',
  },
];

/** Runs axe-core and fails with one line per violation: rule, help text and the elements. */
async function expectNoViolations(page: Page, include?: string): Promise<void> {
  // The charts' SVG text is checked by 'chart text contrast' below; the
  // charts also redraw while their trade-off points arrive, which would
  // leave axe-core's selectors pointing at replaced elements.
  let builder = new AxeBuilder({ page }).withTags(WCAG_A_AA).exclude('figure.chart svg');
  if (include) {
    builder = builder.include(include);
  }
  const results = await builder.analyze();
  const violations = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(violations, 'axe-core violations').toEqual([]);

  // Contrast that axe-core could not decide is not a pass either. It cannot
  // tell the background of SVG text, so the stage's text is left to the
  // 'stage text contrast' tests below.
  const undecided = results.incomplete
    .filter((rule) => rule.id === 'color-contrast')
    .flatMap((rule) => rule.nodes.map((node) => String(node.target[0])));
  const outsideStage = await page.evaluate(
    (selectors) => selectors.filter((selector) => !document.querySelector(selector)?.closest('svg.stage')),
    undecided,
  );
  expect(outsideStage, 'elements whose contrast axe-core could not check').toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  for (const view of VIEWS) {
    test(`axe: ${view.name}, ${scheme} theme`, async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page, view.path);
      await view.open?.(page);

      await expectNoViolations(page, view.include);
      expectNoPageErrors(errors);
    });
  }
}

test('axe: dark theme chosen with T', async ({ page }) => {
  // The reader's choice sets html[data-theme], a different stylesheet rule
  // from the system's dark scheme.
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await page.keyboard.press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('end').click();
  await expect(page.getByTestId('polling-detected')).toHaveText('1 of 1');

  await expectNoViolations(page);
});

/** What the focus test records about the element that has focus. */
interface FocusState {
  /** data-probe of the element, or its tag name if it was not a known control. */
  probe: string;
  outlineStyle: string;
  outlineWidth: number;
  outlineColor: string;
}

test('Tab reaches every control with a ring', async ({ page }) => {
  await openApp(page);

  // Open every closed section of the controls, so their fields count too.
  const closed = page.locator('details:not([open]) > summary');
  while ((await closed.count()) > 0) {
    await closed.first().click();
  }

  // Marks every visible control. A radio group is one Tab stop, so its
  // radios share a mark.
  const controls: string[] = await page.evaluate(() => {
    const selector = [
      'a[href]',
      'button:not([disabled])',
      'input:not([disabled])',
      'select:not([disabled])',
      'textarea',
      'summary',
      '[tabindex]:not([tabindex="-1"])',
    ].join(', ');
    const marks = new Set<string>();
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.getClientRects().length === 0 || getComputedStyle(element).visibility === 'hidden') {
        continue;
      }
      const input = element instanceof HTMLInputElement ? element : null;
      const tag = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`;
      const text = (element.textContent ?? '').trim().slice(0, 30);
      const mark = input?.type === 'radio' ? `radio group ${input.name}` : `${tag} "${text}" ${marks.size}`;
      element.dataset.probe = mark;
      marks.add(mark);
    }
    return [...marks];
  });
  expect(controls.length, 'controls on the page').toBeGreaterThan(60);

  const reached = new Set<string>();
  const withoutRing: string[] = [];
  const unmarked: string[] = [];
  for (let press = 0; press < controls.length + 10; press += 1) {
    await page.keyboard.press('Tab');
    const state: FocusState = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const style = element ? getComputedStyle(element) : null;
      return {
        probe: element?.dataset.probe ?? element?.tagName ?? 'none',
        outlineStyle: style?.outlineStyle ?? 'none',
        outlineWidth: parseFloat(style?.outlineWidth ?? '0'),
        outlineColor: style?.outlineColor ?? '',
      };
    });
    if (reached.has(state.probe) && !state.probe.startsWith('radio group')) {
      break;
    }
    // Past the last control, focus rests on the page itself before it wraps around.
    if (state.probe === 'BODY') {
      continue;
    }
    if (!controls.includes(state.probe)) {
      unmarked.push(state.probe);
      continue;
    }
    reached.add(state.probe);
    const transparent = /^(transparent|rgba\(.*, 0\))$/.test(state.outlineColor);
    const visible = state.outlineStyle !== 'none' && state.outlineWidth >= 2 && !transparent;
    if (!visible) {
      withoutRing.push(`${state.probe}: outline ${state.outlineStyle} ${state.outlineWidth}px ${state.outlineColor}`);
    }
  }

  expect(controls.filter((control) => !reached.has(control)), 'controls Tab never reached').toEqual([]);
  expect(unmarked, 'Tab stops that are not controls').toEqual([]);
  expect(withoutRing, 'controls without a visible focus ring').toEqual([]);
});

test('focus ring on sample controls', async ({ page }) => {
  await openApp(page);
  // In page order: the toolbar, the scenario form, then the playback bar.
  const samples = [
    { name: 'Guided tour button', locator: page.getByTestId('open-tour') },
    { name: 'Payments section', locator: page.locator('summary', { hasText: /^Payments$/ }) },
    { name: 'payments field', locator: page.locator('#payments') },
    { name: 'kind of payment list', locator: page.locator('#duration-preset') },
    { name: 'Panels and seed section', locator: page.locator('summary', { hasText: /^Panels and seed$/ }) },
    { name: 'hybrid panel checkbox', locator: page.locator('#show-hybrid') },
    { name: 'Play button', locator: page.getByTestId('play') },
    { name: 'time slider', locator: page.locator('#scrubber') },
    { name: 'slow motion checkbox', locator: page.locator('#slow-motion') },
  ];

  for (const { name, locator } of samples) {
    // Focus by keyboard: Tab until the control has focus.
    let focused = false;
    for (let press = 0; press < 60 && !focused; press += 1) {
      await page.keyboard.press('Tab');
      focused = await locator.evaluate((element) => element === document.activeElement);
    }
    expect(focused, `${name} reached with Tab`).toBe(true);
    await expect(locator, `${name} outline style`).toHaveCSS('outline-style', 'solid');
    await expect(locator, `${name} outline width`).toHaveCSS('outline-width', '3px');
    // --focus of the light palette, #0a58ca.
    await expect(locator, `${name} outline colour`).toHaveCSS('outline-color', 'rgb(10, 88, 202)');
  }
});

const DIALOG_KEYS = [
  { key: '?', title: 'Keyboard shortcuts' },
  { key: 'l', title: 'Share this scenario' },
  { key: 'x', title: 'Export this run' },
];

for (const { key, title } of DIALOG_KEYS) {
  test(`${key} opens ${title}, Escape closes`, async ({ page }) => {
    await openApp(page);
    const dialog = page.getByRole('dialog', { name: title });

    await page.keyboard.press(key);
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    await expect(dialog).toBeFocused();

    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });
}

test('shortcuts dialog lists every key', async ({ page }) => {
  await openApp(page);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

  // A header row and the thirteen shortcuts of components::dialogs::SHORTCUTS.
  await expect(dialog.getByRole('row')).toHaveCount(14);
  await expect(dialog.getByRole('row').nth(1).getByRole('cell')).toHaveText(['Space or K', 'Play or pause']);
  await expect(dialog.getByRole('row').last().getByRole('cell')).toHaveText([
    '? or Escape',
    'Show this list, or close a dialog',
  ]);

  // Escape also closes it when focus is on its Close button.
  await dialog.getByRole('button', { name: 'Close' }).focus();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('narration announces detections', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const narration = page.getByTestId('narration');
  await expect(narration).toHaveAttribute('role', 'status');
  await expect(narration).toHaveAttribute('aria-live', 'polite');
  await expect(narration).toHaveText('');

  await page.getByRole('checkbox', { name: /Slow motion/ }).uncheck();
  await page.locator('#speed').fill('2');
  await expect(page.locator('output[for="speed"]')).toHaveText('×100');
  await page.getByTestId('play').click();

  // The webhook gateway learns at 7.1 s, the polling one at 8.2 s. The
  // region announces at most every 2 s, so the two may come in one message
  // or in two, the second replacing the first.
  await expect(narration).toContainText(
    'Webhook: the gateway knows payment 1 succeeded at 0:07.100, 100 ms after it finished.',
  );
  await expect(narration).toContainText(
    'Polling: the gateway knows payment 1 succeeded at 0:08.200, 1.2 s after it finished.',
  );
  await expect(page.getByTestId('play')).toHaveText('Play again');

  expectNoPageErrors(errors);
});

/**
 * Measures the contrast of every text on the stages against the shape
 * behind it: the lane body for lane titles, otherwise the first rect of the
 * text's group (a chip or a token). Returns the ratio and a label with the
 * text and its group's classes. Tokens of lost messages are skipped,
 * because they are drawn faded on purpose.
 */
async function stageTextContrasts(page: Page): Promise<{ ratio: number; label: string }[]> {
  return page.evaluate(() => {
    // A 1-pixel canvas turns any CSS colour, including color-mix() results, into sRGB bytes.
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const bytesOf = (color: string) => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = color;
      context.fillRect(0, 0, 1, 1);
      return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
    };
    // Relative luminance as WCAG 2 defines it.
    const luminance = (bytes: number[]) => {
      const [r, g, b] = bytes.map((byte) => {
        const channel = byte / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };

    const measured: { ratio: number; label: string }[] = [];
    for (const text of document.querySelectorAll<SVGTextElement>('svg.stage text')) {
      const group = text.closest('g');
      if (!group || group.classList.contains('token--lost')) {
        continue;
      }
      const onLane = text.classList.contains('lane__name') || text.classList.contains('lane__trouble');
      const shape = group.querySelector(onLane ? '.lane__body' : 'rect');
      const label = `${(text.textContent ?? '').trim()} (${group.getAttribute('class')})`;
      if (!shape) {
        measured.push({ ratio: 0, label: `${label}: no shape behind the text` });
        continue;
      }
      const foreground = luminance(bytesOf(getComputedStyle(text).fill));
      const background = luminance(bytesOf(getComputedStyle(shape).fill));
      const [lighter, darker] = [foreground, background].sort((a, b) => b - a);
      measured.push({ ratio: (lighter + 0.05) / (darker + 0.05), label });
    }
    return measured;
  });
}

const STAGE_RUNS = [
  { name: 'default run', path: '/', scheme: 'light' },
  { name: 'default run', path: '/', scheme: 'dark' },
  { name: 'default run in presentation', path: '/?present=1', scheme: 'light' },
  // Processing events, declined payments and their tokens.
  { name: 'declined payment', path: '/?decline=100&processing=on', scheme: 'light' },
  // 401 responses in the error colour.
  { name: 'rejected signatures', path: '/?story=signature-reserialized', scheme: 'dark' },
] as const;

for (const run of STAGE_RUNS) {
  test(`stage text contrast: ${run.name}, ${run.scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: run.scheme, reducedMotion: 'reduce' });
    await openApp(page, run.path);
    const play = page.getByTestId('play');
    await expect(play).toHaveText('Play');

    // Step through the run and measure at every moment, so each kind of token is seen in flight.
    const low = new Set<string>();
    let measuredTexts = 0;
    for (let step = 0; step < 30; step += 1) {
      for (const { ratio, label } of await stageTextContrasts(page)) {
        measuredTexts += 1;
        if (ratio < 4.5) {
          low.add(`${ratio.toFixed(2)}:1 ${label}`);
        }
      }
      if ((await play.innerText()).includes('Play again')) {
        break;
      }
      await page.getByTestId('step').click();
    }

    expect(measuredTexts, 'texts measured').toBeGreaterThan(20);
    expect([...low], 'stage texts below 4.5:1').toEqual([]);
  });
}

// The chart texts (ticks, axis titles, the highlighted interval) against the
// chart's own background, in both themes. axe-core cannot check SVG text.
for (const scheme of ['light', 'dark'] as const) {
  test(`chart text contrast, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openApp(page, '/?payments=30&arrival=poisson:2&duration=5s-60s');
    await expect(page.getByTestId('tradeoff-progress')).toContainText(/^(\d+) of \1 points/);

    const measured = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 1;
      canvas.height = 1;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      const bytesOf = (color: string) => {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = color;
        context.fillRect(0, 0, 1, 1);
        return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
      };
      const luminance = (bytes: number[]) => {
        const [r, g, b] = bytes.map((byte) => {
          const channel = byte / 255;
          return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      return [...document.querySelectorAll<SVGTextElement>('figure.chart svg text')].map((text) => {
        const figure = text.closest('figure')!;
        const foreground = luminance(bytesOf(getComputedStyle(text).fill));
        const background = luminance(bytesOf(getComputedStyle(figure).backgroundColor));
        const [lighter, darker] = [foreground, background].sort((a, b) => b - a);
        return { ratio: (lighter + 0.05) / (darker + 0.05), label: (text.textContent ?? '').trim() };
      });
    });

    expect(measured.length, 'chart texts measured').toBeGreaterThan(20);
    const low = measured.filter(({ ratio }) => ratio < 4.5).map(({ ratio, label }) => `${ratio.toFixed(2)}:1 ${label}`);
    expect(low, 'chart texts below 4.5:1').toEqual([]);
  });
}
