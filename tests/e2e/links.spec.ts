// Links that carry the scenario in the address bar: a copied address opens
// the same run, `t=` opens paused at that moment, the back and forward
// buttons move through scenario changes, and the Share dialog hands out the
// address. Bad links name each rejected parameter, apply the rest, and never
// render anything from the address as HTML. docs/links.md lists every key.
import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, commitText, expectNoPageErrors, openApp } from './helpers';

/** Reads every counter of every panel on the page, keyed by its data-testid, such as "polling-requests". */
async function readCounters(page: Page): Promise<Record<string, string>> {
  return page
    .locator('.panels dd[data-testid]')
    .evaluateAll((cells) =>
      Object.fromEntries(cells.map((cell) => [cell.getAttribute('data-testid'), (cell.textContent ?? '').trim()])),
    );
}

function slowMotion(page: Page) {
  return page.getByRole('checkbox', { name: /Slow motion/ });
}

test('copied address reopens the run', async ({ page, browser }) => {
  const errors = collectPageErrors(page);
  await openApp(page);

  await commitText(page.locator('#poll-interval'), '3s');
  await commitText(page.locator('#payments'), '3');
  await commitText(page.locator('#seed'), '42');
  await page.locator('#show-hybrid').check();
  await page.locator('#speed').fill('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×10');
  await slowMotion(page).uncheck();
  await page.getByTestId('end').click();

  const endClock = await page.getByTestId('clock-end').innerText();
  await expect(page.getByTestId('clock-now')).toHaveText(endClock);
  await expect(page.getByTestId('polling-detected')).toHaveText('3 of 3');
  // The address follows the scenario in the key order of docs/links.md, and
  // a paused page adds its time.
  await expect(page).toHaveURL(/\?seed=42&payments=3&poll=3s&show=polling,webhook,hybrid&t=[0-9.]+s&speed=10&slow=off$/);
  const address = page.url();
  const counters = await readCounters(page);
  expect(Object.keys(counters).length, 'counters on the page').toBeGreaterThanOrEqual(27);

  // A new browser context has no saved settings, so only the address can carry them.
  const reader = await browser.newContext();
  const copy = await reader.newPage();
  const copyErrors = collectPageErrors(copy);
  await openApp(copy, address);

  await expect(copy.getByTestId('clock-now')).toHaveText(endClock);
  await expect(copy.getByTestId('clock-end')).toHaveText(endClock);
  await expect(copy.getByTestId('play')).toHaveText('Play again');
  expect(await readCounters(copy), 'counters in the copy').toEqual(counters);
  await expect(copy.locator('#poll-interval')).toHaveValue('3s');
  await expect(copy.locator('#payments')).toHaveValue('3');
  await expect(copy.locator('#seed')).toHaveValue('42');
  await expect(copy.locator('#show-polling')).toBeChecked();
  await expect(copy.locator('#show-webhook')).toBeChecked();
  await expect(copy.locator('#show-hybrid')).toBeChecked();
  await expect(copy.locator('output[for="speed"]')).toHaveText('×10');
  await expect(slowMotion(copy)).not.toBeChecked();
  await expect(copy).toHaveURL(address);
  await expect(copy.getByTestId('notices')).toHaveText('');

  // Pressing End in the copy lands on the same counts.
  await copy.getByTestId('end').click();
  expect(await readCounters(copy), 'counters in the copy after End').toEqual(counters);

  expectNoPageErrors(copyErrors);
  await reader.close();
  expectNoPageErrors(errors);
});

test('link with t opens paused there', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openApp(page, '/?t=4s');

  await expect(page.getByTestId('clock-now')).toHaveText('0:04.000');
  await expect(page.getByTestId('play')).toHaveText('Play');
  await expect(page.locator('#scrubber')).toHaveValue('4000');
  // Polls reach ABC Payment at 2.1 s and 4.1 s, and the first pending
  // response is back at 2.2 s. The webhook arrives only at 7.1 s.
  await expect(page.getByTestId('polling-requests')).toHaveText('1');
  await expect(page.getByTestId('polling-wasted')).toHaveText('1');
  await expect(page.getByTestId('webhook-callbacks')).toHaveText('0');
  await expect(page).toHaveURL(/\?t=4s$/);

  expectNoPageErrors(errors);
});

test('back and forward restore scenarios', async ({ page }) => {
  const errors = collectPageErrors(page);
  // Changes less than 600 ms apart share one history entry, as the steps of
  // a dragged slider do. The fake clock lets a second pass between the two
  // changes without a real wait.
  await page.clock.install();
  await openApp(page);
  const interval = page.locator('#poll-interval');
  const summary = page.getByTestId('panel-polling').locator('.panel__header p');
  const historyLength = () => page.evaluate(() => history.length);
  const startLength = await historyLength();

  await commitText(interval, '3s');
  await page.clock.fastForward(1_000);
  await expect(page).toHaveURL(/\/\?poll=3s$/);
  await commitText(interval, '5s');
  await page.clock.fastForward(1_000);
  await expect(page).toHaveURL(/\/\?poll=5s$/);
  expect(await historyLength(), 'history entries added').toBe(startLength + 2);

  await page.goBack();
  await expect(page).toHaveURL(/\/\?poll=3s$/);
  await expect(interval).toHaveValue('3s');
  await expect(summary).toContainText('every 3 s');
  await expect(page.getByTestId('clock-end')).toHaveText('0:09.200');

  await page.goForward();
  await expect(page).toHaveURL(/\/\?poll=5s$/);
  await expect(interval).toHaveValue('5s');
  await expect(summary).toContainText('every 5 s');
  await expect(page.getByTestId('clock-end')).toHaveText('0:10.200');

  // Two steps back is the page as it opened, with the default 2 s.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(interval).toHaveValue('2s');
  await expect(summary).toContainText('every 2 s');

  await expect(page.getByTestId('notices')).toHaveText('');
  expectNoPageErrors(errors);
});

test.describe('share dialog', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('share link matches the address', async ({ page }) => {
    const errors = collectPageErrors(page);
    await openApp(page, '/?seed=7&poll=3s');

    // The first poll leaves at 3 s. A paused page writes its time into the address.
    await page.getByTestId('step').click();
    await expect(page.getByTestId('clock-now')).toHaveText('0:03.000');
    await expect(page).toHaveURL(/\?seed=7&poll=3s&t=3s$/);
    const address = page.url();

    await page.getByTestId('open-share').click();
    const dialog = page.getByRole('dialog', { name: 'Share this scenario' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toBeFocused();

    const link = dialog.getByTestId('share-link');
    await expect(link).toHaveValue(address);

    const snippet = await dialog.getByTestId('share-embed').inputValue();
    expect(snippet, 'snippet element').toMatch(/^<iframe src="[^"]+" .*><\/iframe>$/);
    expect(snippet, 'snippet link to the embedded view').toContain('embed=1');
    // The snippet is HTML, so each & of the link is written &amp;.
    const escapedLink = address.replaceAll('&', '&amp;');
    expect(snippet, 'snippet contains the escaped link').toContain(`src="${escapedLink}&amp;embed=1"`);
    expect(snippet, 'snippet has no raw &').not.toMatch(/&(?!amp;)/);

    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText()), 'clipboard after Copy link').toBe(address);

    await dialog.getByRole('button', { name: 'Copy snippet' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()), { message: 'clipboard after Copy snippet' })
      .toBe(snippet);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    expectNoPageErrors(errors);
  });
});

/** One parameter of a bad link and the notice the page must show for it. */
interface BadParameter {
  key: string;
  value: string;
  notice: string;
}

/** Builds a query string, percent-encoding every key and value. */
function queryOf(parameters: { key: string; value: string }[]): string {
  return parameters.map(({ key, value }) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/**
 * Opens a link made of the bad parameters and payments=3, and checks that
 * each one is named with the value used, in link order, and that the
 * payment count still applies. `usedQuery` is the query the page then
 * writes into the address: what it uses, in key order.
 */
async function expectRejected(page: Page, bad: BadParameter[], usedQuery: string): Promise<void> {
  await openApp(page, `/?${queryOf([...bad.slice(0, 1), { key: 'payments', value: '3' }, ...bad.slice(1)])}`);

  const notices = page.getByTestId('notices').getByRole('listitem');
  await expect(notices).toHaveText(bad.map((parameter) => parameter.notice));
  await expect(page.locator('#payments')).toHaveValue('3');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 3');
  await expect(page).toHaveURL(`/?${usedQuery}`);
}

test('bad link values are named', async ({ page }) => {
  const errors = collectPageErrors(page);

  await expectRejected(page, [
    { key: 'bogus', value: '1', notice: 'Link parameter bogus=1: unknown parameter; ignored.' },
    {
      key: 'seed',
      value: 'abc',
      notice: 'Link parameter seed=abc: value is not a whole number such as 10; using 1.',
    },
    { key: 'poll', value: '10ms', notice: 'Link parameter poll=10ms: allowed range is 100 ms to 1 d; using 100ms.' },
    {
      key: 'latency',
      value: '3weeks',
      notice: 'Link parameter latency=3weeks: value has the unit "weeks", not ms, s, min, h or d; using 100ms.',
    },
    { key: 'decline', value: '150', notice: 'Link parameter decline=150: allowed range is 0 to 100; using 100.' },
    { key: 'speed', value: '-2', notice: 'Link parameter speed=-2: value is negative; using none.' },
  ], 'payments=3&decline=100&poll=100ms');

  // The clamped values apply, and the rejected ones keep their defaults.
  await expect(page.locator('#poll-interval')).toHaveValue('100ms');
  await expect(page.locator('#decline')).toHaveValue('100');
  await expect(page.locator('#seed')).toHaveValue('1');
  await expect(page.locator('output[for="speed"]')).toHaveText('×1');

  expectNoPageErrors(errors);
});

test('hostile link text stays text', async ({ page }) => {
  const errors = collectPageErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  const img = '<img src=x onerror=alert(1)>';
  const script = '"><script>window.__hacked=1</script>';
  const storyForm =
    'value is not a gallery key of at most 60 characters from a-z, 0-9 and -, optionally followed by :VARIANT such as :1';

  await expectRejected(page, [
    // Values are cut to 40 characters in the notice.
    {
      key: 'seed',
      value: '9'.repeat(5_000),
      notice: `Link parameter seed=${'9'.repeat(40)}…: value is longer than 200 characters; using 1.`,
    },
    { key: 'note', value: img, notice: `Link parameter note=${img}: unknown parameter; ignored.` },
    { key: 'story', value: script, notice: `Link parameter story=${script}: ${storyForm}; using none.` },
    { key: img, value: '1', notice: `Link parameter ${img}=1: unknown parameter; ignored.` },
    { key: script, value: img, notice: `Link parameter ${script}=${img}: unknown parameter; ignored.` },
    { key: 'theme', value: img, notice: `Link parameter theme=${img}: value is not light or dark; using none.` },
  ], 'payments=3');

  // The markup arrives as text: escaped in the notices, and no element made from it.
  const html = await page.getByTestId('notices').innerHTML();
  expect(html, 'notices markup').toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html, 'notices markup').toContain('&lt;script&gt;window.__hacked=1&lt;/script&gt;');
  await expect(page.locator('img')).toHaveCount(0);
  await expect(page.locator('script', { hasText: '__hacked' })).toHaveCount(0);
  await expect(page.getByTestId('story')).toHaveCount(0);
  const hacked = await page.evaluate(() => (window as unknown as { __hacked?: unknown }).__hacked);
  expect(hacked, 'window.__hacked').toBeUndefined();
  expect(dialogs, 'dialogs opened by the page').toEqual([]);

  expectNoPageErrors(errors);
});

test('huge run stops at message limit', async ({ page }) => {
  const errors = collectPageErrors(page);
  // Ten payments polled every 100 ms for a day would send 17 million
  // messages, far over the 2,000,000 a strategy's trace keeps.
  await openApp(page, '/?payments=10&duration=1d&poll=100ms&rate_limit=off');

  await expect(page.getByTestId('notices').getByRole('listitem')).toHaveText([
    'Polling would send more than 2,000,000 messages in this scenario, more than the page keeps; ' +
      'its run stops at 2:46:44.600 of virtual time, and payments still open then count as not learned.',
  ]);
  // The trade-off chart leaves out the point for the page's own 100 ms
  // interval, which would need the same 17 million messages.
  await expect(page.getByTestId('tradeoff-progress')).toHaveText(
    /^(\d+) of \1 points; .* 1 left out: each would send more than 100,000 messages\.$/,
    { timeout: 20_000 },
  );

  await page.getByTestId('end').click();
  await expect(page.getByTestId('clock-now')).toHaveText('1d 00:00:09.200');
  await expect(page.getByTestId('polling-detected')).toHaveText('0 of 10');
  await expect(page.getByTestId('webhook-detected')).toHaveText('10 of 10');
  await expect(page.locator('#payments')).toHaveValue('10');
  await expect(page.locator('#poll-interval')).toHaveValue('100ms');
  await page.screenshot({ path: test.info().outputPath('huge-run.png') });

  expectNoPageErrors(errors);
});
