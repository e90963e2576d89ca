// Shared set-up of the performance harnesses in tests/perf/: Debian's
// Chromium with the flags the browser tests use (playwright.config.ts).

import { chromium } from "@playwright/test";

/** Chromium flags: no sandbox and no GPU in containers, and no calls to Google services. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium: /usr/bin/chromium unless CHROMIUM_PATH names another binary. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Returns the sorted copy of the numbers. */
export function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** Returns the nearest-rank percentile (0 to 100) of the numbers, or null when there are none. */
export function percentile(values, rank) {
  if (values.length === 0) {
    return null;
  }
  const ordered = sorted(values);
  const index = Math.max(0, Math.ceil((rank / 100) * ordered.length) - 1);
  return ordered[index];
}

/** Returns the median of the numbers: the mean of the two middle ones for an even count. */
export function median(values) {
  if (values.length === 0) {
    return null;
  }
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? ordered[middle] : (ordered[middle - 1] + ordered[middle]) / 2;
}

/** Parses the option --name as a whole number of at least min, or throws an error that names it. */
export function wholeNumber(text, name, min = 0) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`invalid --${name} '${text}': expected a whole number of at least ${min}`);
  }
  return value;
}
