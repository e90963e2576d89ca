import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp } from './helpers';

test('page loads without errors', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);

  await openApp(page);

  await expect(page).toHaveTitle('Polling vs webhooks: a payment playground');
  await expect(page.locator('#fatal-error')).toHaveCount(0);

  // Kept as a test artifact under test-results/ and in the HTML report.
  const screenshotPath = testInfo.outputPath('smoke-full-page.png');
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach('full page', { path: screenshotPath, contentType: 'image/png' });

  expectNoPageErrors(errors);
});

// The start-up guard in index.html must replace a blank page with a readable
// error when the bundle cannot load.
const brokenBundles = [
  { name: 'wasm', pattern: /\.wasm$/ },
  { name: 'JS glue', pattern: /\/pollhook-[^/]*\.js$/ },
];

for (const { name, pattern } of brokenBundles) {
  test(`fatal error box on ${name} 404`, async ({ page }, testInfo) => {
    await page.route(pattern, (route) => route.fulfill({ status: 404, body: 'Not found' }));

    await page.goto('/');

    const box = page.getByRole('alert');
    await expect(box).toBeVisible();
    await expect(box).toHaveAttribute('id', 'fatal-error');
    await expect(box).toContainText('The playground failed to start');
    await expect(page.locator('html')).toHaveAttribute('data-app-state', 'failed');
    await expect(page.locator('#app-loading')).toHaveCount(0);

    const contrast = await new AxeBuilder({ page }).include('#fatal-error').withRules(['color-contrast']).analyze();
    expect(contrast.violations).toEqual([]);

    await page.screenshot({ path: testInfo.outputPath(`fatal-error-${name.replace(/\W+/g, '-')}.png`) });
  });
}
