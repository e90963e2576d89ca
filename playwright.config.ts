// Browser tests against the release bundle in dist/, which scripts/build.sh
// builds (scripts/test.sh runs both). Playwright starts tests/e2e/server.mjs
// on 127.0.0.1, port 4173 unless E2E_PORT is set, and stops it at the end.
//
// tests/e2e/hosting.spec.ts runs in its own project against a second bundle,
// built for the sub-path /course/playground/ into dist-subpath/ and served
// under that prefix on port E2E_PORT + 1.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}/`;

/** Public URL the second bundle is built for, with both slashes. */
const SUBPATH = '/course/playground/';
const subpathPort = port + 1;
const subpathURL = `http://127.0.0.1:${subpathPort}${SUBPATH}`;

if (!existsSync(path.join(__dirname, 'dist', 'index.html'))) {
  throw new Error('dist/index.html not found. Build the bundle first with scripts/build.sh (scripts/test.sh runs it).');
}
if (!existsSync(path.join(__dirname, 'dist-subpath', 'index.html'))) {
  throw new Error(
    `dist-subpath/index.html not found. Build it with scripts/build.sh --public-url ${SUBPATH} --dist dist-subpath (scripts/test.sh runs it).`,
  );
}

/** Builds the entry that makes Playwright start tests/e2e/server.mjs over root, under prefix, and stop it at the end. */
function staticServer(root: string, serverPort: number, prefix: string, url: string): NonNullable<PlaywrightTestConfig['webServer']> {
  return {
    command: `node tests/e2e/server.mjs --root ${root} --port ${serverPort} --prefix ${prefix}`,
    url,
    // Fail when the port is taken instead of testing whatever listens there.
    // Playwright then reports that the URL is already used, and E2E_PORT picks another port.
    reuseExistingServer: false,
    timeout: 15_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 2_000 },
  };
}

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    // Debian's chromium package, because the project's machines cannot
    // download Playwright's own browser build. CHROMIUM_PATH overrides it.
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these, Chromium keeps trying to reach Google services,
      // which the test machines cannot reach.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: 'tests/e2e',
  // Only the browser specs: tests/e2e/server.test.mjs belongs to Node's test runner.
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],

  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  projects: [
    {
      name: 'chromium',
      testIgnore: '**/hosting.spec.ts',
      use: chromium,
    },
    {
      // baseURL ends in the prefix, so the hosting tests open relative paths such as './?poll=5s'.
      name: 'chromium-subpath',
      testMatch: '**/hosting.spec.ts',
      use: { ...chromium, baseURL: subpathURL },
    },
  ],

  webServer: [staticServer('dist', port, '/', baseURL), staticServer('dist-subpath', subpathPort, SUBPATH, subpathURL)],
});
