// The guided tour: eight steps, each with its own scenario, moved with the
// Back and Next buttons or the keyboard, opened from a link with `tour=N`.
// Back and Next must not move between steps, so a presenter can click
// without looking.
import { expect, test, type Locator, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp, saveScreenshot } from './helpers';

/** Step titles, in the order of src/tour.rs. */
const STEP_TITLES = [
  'Pull: the gateway keeps asking',
  'Push: ABC Payment calls back',
  'Polling cost grows with every payment',
  'Polling faster is not free',
  'Webhooks arrive at least once',
  'Order is not promised',
  'Retries carry events through an outage',
  'Reconciliation is the safety net',
];

interface TourParts {
  tour: Locator;
  progress: Locator;
  title: Locator;
  back: Locator;
  next: Locator;
  close: Locator;
}

function tourParts(page: Page): TourParts {
  const tour = page.getByTestId('tour');
  return {
    tour,
    progress: tour.getByTestId('tour-progress'),
    title: tour.getByRole('heading'),
    back: tour.getByTestId('tour-back'),
    next: tour.getByTestId('tour-next'),
    close: tour.getByTestId('tour-close'),
  };
}

/** Checks that the tour shows the step at `index`, counted from 0. */
async function expectStep(parts: TourParts, index: number): Promise<void> {
  await expect(parts.progress).toHaveText(`Step ${index + 1} of ${STEP_TITLES.length}`);
  await expect(parts.title).toHaveText(STEP_TITLES[index]);
}

test('tour steps with Next and Back', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const parts = tourParts(page);
  await expect(parts.tour).toHaveCount(0);

  await page.getByTestId('open-tour').click();
  await expect(parts.tour).toBeVisible();
  await expectStep(parts, 0);
  // Step 1 shows polling alone, step 2 both strategies.
  await expect(page.getByTestId('panel-polling')).toBeVisible();
  await expect(page.getByTestId('panel-webhook')).toHaveCount(0);

  await parts.next.click();
  await expectStep(parts, 1);
  await expect(page.getByTestId('panel-webhook')).toBeVisible();

  await parts.back.click();
  await expectStep(parts, 0);
  await expect(page.getByTestId('panel-webhook')).toHaveCount(0);

  expectNoPageErrors(errors);
});

test('tour buttons never move', async ({ page }, testInfo) => {
  await openApp(page);
  const parts = tourParts(page);
  await page.getByTestId('open-tour').click();
  await expectStep(parts, 0);
  await expect(parts.back).toBeDisabled();
  await expect(parts.next).toBeEnabled();

  const firstBack = await parts.back.boundingBox();
  const firstNext = await parts.next.boundingBox();
  expect(firstBack, 'Back button box on step 1').not.toBeNull();
  expect(firstNext, 'Next button box on step 1').not.toBeNull();

  for (let index = 1; index < STEP_TITLES.length; index += 1) {
    await parts.next.click();
    await expectStep(parts, index);
    expect(await parts.back.boundingBox(), `Back button box on step ${index + 1}`).toEqual(firstBack);
    expect(await parts.next.boundingBox(), `Next button box on step ${index + 1}`).toEqual(firstNext);
    await expect(parts.back, `Back on step ${index + 1}`).toBeEnabled();
  }

  await expect(parts.next, 'Next on the last step').toBeDisabled();
  await saveScreenshot(page, testInfo, 'tour-last-step');
});

test('tour keys step forward and back', async ({ page }) => {
  await openApp(page);
  const parts = tourParts(page);
  await page.getByTestId('open-tour').click();
  await expectStep(parts, 0);

  await page.keyboard.press('n');
  await expectStep(parts, 1);
  await page.keyboard.press('PageDown');
  await expectStep(parts, 2);
  await page.keyboard.press('N');
  await expectStep(parts, 3);
  await page.keyboard.press('p');
  await expectStep(parts, 2);
  await page.keyboard.press('PageUp');
  await expectStep(parts, 1);
  await page.keyboard.press('P');
  await expectStep(parts, 0);

  // Back from the first step stays there.
  await page.keyboard.press('PageUp');
  await expectStep(parts, 0);
});

test('tour link opens step four', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?tour=4');
  const parts = tourParts(page);

  await expectStep(parts, 3);
  // Step 4 is the rate-limited poller of the gallery: 200 payments at once, polled every second.
  await expect(page.locator('#payments')).toHaveValue('200');
  await expect(page.locator('#poll-interval')).toHaveValue('1s');
  await expect(page.locator('#arrival-kind')).toHaveValue('burst');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 200');
  await expect(page.getByTestId('panel-webhook')).toBeVisible();
  // A link opens paused at the start.
  await expect(page.getByTestId('play')).toHaveText('Play');
  await expect(page.getByTestId('clock-now')).toHaveText('0:00.000');
  await expect(page).toHaveURL(/[?&]tour=4$/);

  // Back loads step 3's sale of 100 payments.
  await parts.back.click();
  await expectStep(parts, 2);
  await expect(page.locator('#payments')).toHaveValue('100');
  await expect(page).toHaveURL(/[?&]tour=3$/);

  await expect(page.getByTestId('notices')).toHaveText('');
  expectNoPageErrors(errors);
});

test('End tour closes the tour', async ({ page }) => {
  await openApp(page);
  const parts = tourParts(page);
  await page.getByTestId('open-tour').click();
  await parts.next.click();
  await expectStep(parts, 1);
  await expect(page).toHaveURL(/[?&]tour=2$/);

  await parts.close.click();
  await expect(parts.tour).toHaveCount(0);
  await expect(page).not.toHaveURL(/tour=/);
  // The step's scenario stays on the page.
  await expect(page.getByTestId('panel-polling')).toBeVisible();
  await expect(page.getByTestId('panel-webhook')).toBeVisible();
});
