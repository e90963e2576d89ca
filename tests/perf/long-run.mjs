#!/usr/bin/env node
// A long run in the page, in headless Chromium. It starts the long-run
// section for --hours hours of virtual time at 100 payments per second and
// records how long the run takes and how the page's WebAssembly memory
// grows with the hours simulated. It also records the main-thread tasks
// over 50 ms while the run computed, and how long --seeks jumps of the time
// slider take to show the chosen second. A jump is timed from the input
// event to the second animation frame after it, so the new figures have
// been laid out and painted.
//
// It prints the figures as JSON and writes them to --out.
//
// Usage: node tests/perf/long-run.mjs --url http://127.0.0.1:4191/ [--hours 24] [--seeks 50] [--out FILE]

import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { launchChromium, median, percentile, wholeNumber } from "./browser.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    hours: { type: "string", default: "24" },
    seeks: { type: "string", default: "50" },
    out: { type: "string" },
  },
});
if (!values.url) {
  console.error("usage: node tests/perf/long-run.mjs --url URL [--hours 24] [--seeks 50] [--out FILE]");
  process.exit(2);
}
const hours = wholeNumber(values.hours, "hours", 1);
const seeks = wholeNumber(values.seeks, "seeks", 1);

/** Runs in the page before its scripts: keeps the duration of every long task. */
function watchLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__longTasks.push(entry.duration);
    }
  }).observe({ type: "longtask" });
}

/** Reads the long run's progress from the data attributes of its status line. */
async function readStatus(page) {
  return page.getByTestId("long-run-status").evaluate((status) => ({
    done: status.dataset.done === "true",
    seconds: Number(status.dataset.seconds),
    events: Number(status.dataset.events),
    wall_ms: Number(status.dataset.wallMs),
    memory_bytes: Number(status.dataset.memoryBytes),
    timeline_bytes: Number(status.dataset.timelineBytes),
  }));
}

const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(watchLongTasks);
  const page = await context.newPage();
  await page.goto(values.url);
  await page.waitForFunction(() => document.documentElement.dataset.appState === "started");
  // The charts compute their points after the first render; let them finish first.
  await page.waitForFunction(
    () => /^(\d+) of \1 points/.test(document.querySelector("[data-testid=tradeoff-progress]")?.textContent ?? ""),
    null,
    { timeout: 60_000 },
  );
  await page.getByTestId("long-run").scrollIntoViewIfNeeded();
  await page.selectOption("#long-run-hours", String(hours));
  await page.evaluate(() => {
    window.__longTasks.length = 0;
  });
  await page.getByTestId("long-run-start").click();

  // Memory against virtual time, read every two seconds of wall-clock time.
  const samples = [];
  const deadline = Date.now() + hours * 20 * 60_000;
  let status = await readStatus(page);
  while (!status.done) {
    if (Date.now() > deadline) {
      throw new Error(`the ${hours} h run did not finish within ${hours * 20} min; it reached ${status.seconds} s`);
    }
    await page.waitForTimeout(2_000);
    status = await readStatus(page);
    samples.push({ virtual_s: status.seconds, memory_bytes: status.memory_bytes, timeline_bytes: status.timeline_bytes });
  }
  const longTasks = await page.evaluate(() => window.__longTasks.slice());

  // Jumps of the time slider to seconds spread over the run, in a fixed order.
  const last = status.seconds - 1;
  const latencies = [];
  for (let index = 0; index < seeks; index += 1) {
    const second = Math.floor((((index * 7_919) % seeks) + 0.5) * (last / seeks));
    const latency = await page.evaluate(async (target) => {
      const input = document.querySelector("#long-run-time");
      const started = performance.now();
      input.value = String(target);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const shownSecond = Number(document.querySelector("[data-testid=long-run-clock]").dataset.second);
      if (shownSecond !== target) {
        throw new Error(`the slider was set to second ${target} but the page shows second ${shownSecond}`);
      }
      return performance.now() - started;
    }, second);
    latencies.push(latency);
  }

  const firstHour = samples.find((sample) => sample.virtual_s >= 3_600) ?? samples[0];
  const result = {
    hours,
    payments: hours * 3_600 * 100,
    wall_s: status.wall_ms / 1000,
    events: status.events,
    events_per_second: status.events / (status.wall_ms / 1000),
    virtual_seconds: status.seconds,
    timeline_bytes: status.timeline_bytes,
    memory_bytes_after_first_hour: firstHour?.memory_bytes ?? null,
    memory_bytes_at_end: status.memory_bytes,
    memory_samples: samples,
    long_tasks: {
      count: longTasks.length,
      max_ms: longTasks.length > 0 ? Math.max(...longTasks) : 0,
    },
    seek_ms: {
      seeks,
      median: median(latencies),
      p95: percentile(latencies, 95),
      max: Math.max(...latencies),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  await browser.close();
}
