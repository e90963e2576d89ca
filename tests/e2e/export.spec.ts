// The Export dialog's downloads for the default run, read back from disk:
// the Mermaid diagram, the trace as CSV, the run as JSON and the stage as
// PNG. tests/export.rs checks the same texts natively, and these tests
// check that the page turns them into files with the right names and contents.
import { readFile, writeFile } from 'node:fs/promises';

import { expect, test, type Page } from '@playwright/test';

import { collectPageErrors, expectNoPageErrors, openApp } from './helpers';

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const failure = await file.failure();
  expect(failure, `download from ${testId} failed`).toBeNull();
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

async function openExport(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('open-export').click();
  await expect(page.getByRole('dialog', { name: 'Export this run' })).toBeVisible();
}

test('Mermaid download has eight arrows', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openExport(page);

  const { name, bytes } = await download(page, 'export-mmd');

  expect(name).toBe('pollhook-polling.mmd');
  const diagram = bytes.toString('utf8');
  expect(diagram.startsWith('sequenceDiagram\n'), 'diagram starts with sequenceDiagram').toBe(true);
  expect(diagram, 'downloaded diagram').toBe(await page.getByTestId('export-mermaid').inputValue());
  // Four polls and their responses, as `G->>P: 0:02.000 GET status` and `P-->>G: 0:02.100 pending`.
  const arrows = diagram.split('\n').filter((line) => /^\s*[GP]-{1,2}(>>|x)[GP]: /.test(line));
  expect(arrows, 'arrows of the default polling run').toEqual([
    '    G->>P: 0:02.000 GET status',
    '    P-->>G: 0:02.100 pending',
    '    G->>P: 0:04.000 GET status',
    '    P-->>G: 0:04.100 pending',
    '    G->>P: 0:06.000 GET status',
    '    P-->>G: 0:06.100 pending',
    '    G->>P: 0:08.000 GET status',
    '    P-->>G: 0:08.100 succeeded',
  ]);
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('Downloaded pollhook-polling.mmd.');
  expectNoPageErrors(errors);
});

test('trace CSV has a row per message', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openExport(page);

  const { name, bytes } = await download(page, 'export-csv');

  expect(name).toBe('pollhook-polling-trace.csv');
  const text = bytes.toString('utf8');
  // RFC 4180: every line, the last one too, ends with CRLF.
  expect(text.endsWith('\r\n'), 'CSV ends with CRLF').toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  expect(lines[0], 'header').toBe(
    'kind,purpose,payment,sent_ms,arrives_ms,lost,status,http_status,event_id,attempt,retry_after_s',
  );
  expect(lines, 'header and one line per message').toHaveLength(9);
  expect(lines[1], 'first poll').toBe('status_request,poll,1,2000,2100,false,,,,,');
  for (const [index, line] of lines.entries()) {
    expect(line.split(','), `fields on line ${index + 1}`).toHaveLength(11);
  }
  const kinds = lines.slice(1).map((line) => line.split(',')[0]);
  expect(kinds, 'message kinds').toEqual(Array(4).fill(['status_request', 'status_response']).flat());
  expectNoPageErrors(errors);
});

test('run JSON has both lanes', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openExport(page);

  const { name, bytes } = await download(page, 'export-json');

  expect(name).toBe('pollhook-run.json');
  const run = JSON.parse(bytes.toString('utf8'));
  expect(run.format).toBe('pollhook-run');
  expect(run.version).toBe(1);
  // The default scenario is the empty query.
  expect(run.scenario).toBe('');
  expect(run.payments, 'payments').toHaveLength(1);
  expect(run.lanes.map((lane: { strategy: string }) => lane.strategy), 'lanes').toEqual(['polling', 'webhook']);
  const [polling, webhook] = run.lanes;
  expect(polling.messages, 'polling messages').toHaveLength(8);
  expect(polling.metrics.provider_requests, 'polling requests').toBe(4);
  expect(webhook.messages, 'webhook messages: the delivery and its 200').toHaveLength(2);
  expect(webhook.messages[0].kind).toBe('webhook');
  expectNoPageErrors(errors);
});

test('stage PNG is wider than tall', async ({ page }, testInfo) => {
  const errors = collectPageErrors(page);
  await openExport(page);

  const { name, bytes } = await download(page, 'export-png');

  expect(name).toBe('pollhook-stage.png');
  // Kept in test-results/ and the HTML report, to look at.
  await writeFile(testInfo.outputPath(name), bytes);
  await testInfo.attach(name, { path: testInfo.outputPath(name), contentType: 'image/png' });
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.subarray(0, 8)], 'PNG signature').toEqual(signature);
  // The first chunk is IHDR: length (4 bytes), type, then width and height as big-endian 32-bit integers.
  expect(bytes.toString('ascii', 12, 16), 'first chunk type').toBe('IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect(height, 'image height').toBeGreaterThan(0);
  expect(width, 'image width, two stages side by side').toBeGreaterThan(height);
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('Downloaded pollhook-stage.png.');
  expectNoPageErrors(errors);
});
