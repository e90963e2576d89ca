// Presentation mode, the colour themes and reduced motion: how the page
// adapts to a projector, to the reader's theme and to a system set to
// reduce motion.
import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp, saveScreenshot } from './helpers';

/** Returns the computed font size of the element, in CSS pixels. */
async function fontSizeOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
}

/** Checks the presentation layout: the mode's class, no controls and no gallery, but the panels. */
async function expectPresentation(page: Page): Promise<void> {
  await expect(page.locator('.app')).toHaveClass(/(^|\s)app--present(\s|$)/);
  await expect(page.locator('.layout__controls')).toBeHidden();
  await expect(page.locator('.gallery')).toBeHidden();
  await expect(page.getByTestId('panel-polling')).toBeVisible();
  await expect(page.getByTestId('panel-webhook')).toBeVisible();
  await expect(page.getByTestId('play')).toBeVisible();
}

test('Present button enlarges the stage', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openApp(page);
  const present = page.getByTestId('present');
  await expect(page.locator('.layout__controls')).toBeVisible();
  await expect(page.locator('.gallery')).toBeVisible();
  await expect(present).toHaveAttribute('aria-pressed', 'false');
  const normalSize = await fontSizeOf(page, '.app');

  await present.click();
  await expectPresentation(page);
  await expect(present).toHaveAttribute('aria-pressed', 'true');
  expect(await fontSizeOf(page, '.app'), 'font size of .app when presenting').toBeGreaterThan(normalSize);
  await expect(page).toHaveURL(/[?&]present=1$/);
  await saveScreenshot(page, testInfo, 'presentation');

  await present.click();
  await expect(page.locator('.app')).not.toHaveClass(/app--present/);
  await expect(page.locator('.layout__controls')).toBeVisible();
  await expect(page.locator('.gallery')).toBeVisible();
  expect(await fontSizeOf(page, '.app'), 'font size of .app after presenting').toBe(normalSize);

  expectNoPageErrors(errors);
});

test('present link opens presentation', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?present=1');

  await expectPresentation(page);
  await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
  // The root element's font size, 16 px, is the page's normal size.
  expect(await fontSizeOf(page, '.app'), 'font size of .app').toBeGreaterThan(await fontSizeOf(page, 'html'));

  // F leaves presentation mode, as listed in the shortcuts dialog.
  await page.keyboard.press('f');
  await expect(page.locator('.app')).not.toHaveClass(/app--present/);
  await expect(page.locator('.layout__controls')).toBeVisible();

  expectNoPageErrors(errors);
});

// The palettes in static/style.css: --bg of the light and the dark theme.
const LIGHT_BACKGROUND = 'rgb(246, 247, 249)';
const DARK_BACKGROUND = 'rgb(20, 23, 28)';

for (const scheme of ['light', 'dark'] as const) {
  test(`T switches theme from system ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page);
    const root = page.locator('html');
    const body = page.locator('body');
    const [first, second] = scheme === 'light' ? (['dark', 'light'] as const) : (['light', 'dark'] as const);
    const backgrounds = { light: LIGHT_BACKGROUND, dark: DARK_BACKGROUND };

    // Until the reader picks a theme, the page follows the system.
    await expect(root).not.toHaveAttribute('data-theme');
    await expect(body).toHaveCSS('background-color', backgrounds[scheme]);

    await page.keyboard.press('t');
    await expect(root).toHaveAttribute('data-theme', first);
    await expect(body).toHaveCSS('background-color', backgrounds[first]);
    await expect(page).toHaveURL(new RegExp(`[?&]theme=${first}$`));

    await page.keyboard.press('T');
    await expect(root).toHaveAttribute('data-theme', second);
    await expect(body).toHaveCSS('background-color', backgrounds[second]);

    await page.keyboard.press('t');
    await expect(root).toHaveAttribute('data-theme', first);
    // The toolbar button offers the other theme.
    await expect(page.getByTestId('theme')).toHaveText(first === 'dark' ? 'Light theme' : 'Dark theme');
  });
}

for (const reducedMotion of ['reduce', 'no-preference'] as const) {
  test(`gallery story with motion ${reducedMotion}`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion });
    await openApp(page);
    const card = page.getByTestId('gallery-duplicate-delivery');

    await card.getByTestId('gallery-duplicate-delivery-0').click();

    await expect(page.getByTestId('story')).toBeVisible();
    if (reducedMotion === 'reduce') {
      // Nothing starts moving by itself: the story waits at 0:00.000 for Play.
      await expect(page.getByTestId('play')).toHaveText('Play');
      await expect(page.getByTestId('clock-now')).toHaveText('0:00.000');
    } else {
      await expect(page.getByTestId('play')).toHaveText('Pause');
    }
  });
}

test('tour opens paused with reduced motion', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);

  await page.keyboard.press('g');

  await expect(page.getByTestId('tour-progress')).toHaveText('Step 1 of 8');
  await expect(page.getByTestId('play')).toHaveText('Play');
  await expect(page.getByTestId('clock-now')).toHaveText('0:00.000');
});
