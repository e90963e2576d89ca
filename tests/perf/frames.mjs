#!/usr/bin/env node
// Frame time of the playground in headless Chromium while tokens move.
//
// Opens --url (the release build served by tests/e2e/server.mjs, with a
// scenario in its query string, see docs/links.md), presses Play, waits
// --settle-ms for the tokens to leave, then records every animation frame
// for --seconds:
//
// - frame work: from the frame's requestAnimationFrame timestamp to the
//   first task after the frame, which runs once the frame's callbacks,
//   style, layout and paint are done. This is the main thread's time per
//   frame, the figure the 8 ms budget is about;
// - frame interval: the time between two frames' timestamps, which shows
//   dropped frames (about 16.7 ms at 60 Hz when none are dropped);
// - long animation frames (PerformanceObserver "long-animation-frame"),
//   which Chromium reports only for frames longer than 50 ms, split into
//   tasks before the rendering update, requestAnimationFrame callbacks (the
//   app's render) and style, layout and paint;
// - the number of messages drawn: `.token` elements on SVG stages plus the
//   data-in-flight count of canvas stages, sampled every 250 ms.
//
// It prints the figures as JSON and writes them to --out. It exits with
// status 1 when the peak token count stays below --tokens, so a scenario
// that the page clamps (at most 500 payments today) cannot pass for a
// larger one.
//
// Usage: node tests/perf/frames.mjs --url 'http://127.0.0.1:4191/?payments=500&...'
//          --tokens 500 [--seconds 5] [--settle-ms 1500] [--out target/bench/frames.json]

import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { launchChromium, median, percentile, wholeNumber } from "./browser.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    tokens: { type: "string" },
    seconds: { type: "string", default: "5" },
    "settle-ms": { type: "string", default: "1500" },
    out: { type: "string" },
  },
});
if (!values.url || values.tokens === undefined) {
  console.error("usage: node tests/perf/frames.mjs --url URL --tokens COUNT [--seconds 5] [--settle-ms 1500] [--out FILE]");
  process.exit(2);
}
const expectedTokens = wholeNumber(values.tokens, "tokens", 1);
const seconds = wholeNumber(values.seconds, "seconds", 1);
const settleMs = wholeNumber(values["settle-ms"], "settle-ms");

/** Runs in the page: records frames and token counts for durationMs, then resolves with them. */
function recordFrames(durationMs) {
  return new Promise((resolve) => {
    const timestamps = [];
    const work = [];
    const tokenCounts = [];
    const longFrames = [];
    let observer = null;
    if (PerformanceObserver.supportedEntryTypes.includes("long-animation-frame")) {
      observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const end = entry.startTime + entry.duration;
          const renderStart = entry.renderStart || end;
          const styleStart = entry.styleAndLayoutStart || end;
          longFrames.push({
            duration: entry.duration,
            beforeRender: renderStart - entry.startTime,
            frameCallbacks: styleStart - renderStart,
            styleLayoutPaint: end - styleStart,
          });
        }
      });
      observer.observe({ type: "long-animation-frame" });
    }

    // A message posted during a frame's callbacks runs in the next task,
    // after the browser has updated style and layout and painted the frame.
    const channel = new MessageChannel();
    const frameStarts = [];
    channel.port1.onmessage = () => {
      work.push(performance.now() - frameStarts.shift());
    };

    const started = performance.now();
    // SVG stages draw one `.token` per message; the canvas stage of big runs
    // names its count in data-in-flight.
    const countTokens = () => {
      const svgTokens = document.querySelectorAll(".token").length;
      const canvasTokens = [...document.querySelectorAll("canvas.stage")]
        .reduce((sum, canvas) => sum + Number(canvas.dataset.inFlight ?? 0), 0);
      tokenCounts.push(svgTokens + canvasTokens);
    };
    countTokens();
    const counter = setInterval(countTokens, 250);

    const onFrame = (timestamp) => {
      timestamps.push(timestamp);
      frameStarts.push(timestamp);
      channel.port2.postMessage(null);
      if (performance.now() - started < durationMs) {
        requestAnimationFrame(onFrame);
        return;
      }
      clearInterval(counter);
      // Let the last frame's message and any pending long-frame entries arrive.
      setTimeout(() => {
        observer?.disconnect();
        resolve({ timestamps, work, tokenCounts, longFrames, supportsLongFrames: observer !== null });
      }, 200);
    };
    requestAnimationFrame(onFrame);
  });
}

/** Returns the count of long frames, the longest, and the median of each part of them, in ms. */
function summarizeLongFrames(frames) {
  const medianOf = (key) => median(frames.map((frame) => frame[key]));
  return {
    count: frames.length,
    max_ms: Math.max(0, ...frames.map((frame) => frame.duration)),
    median_ms: medianOf("duration"),
    median_before_render_ms: medianOf("beforeRender"),
    median_frame_callbacks_ms: medianOf("frameCallbacks"),
    median_style_layout_paint_ms: medianOf("styleLayoutPaint"),
  };
}

const browser = await launchChromium();
let result;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(values.url);
  await page.waitForSelector("html[data-app-state=started]", { timeout: 30_000 });
  await page.click("[data-testid=play]");
  await page.waitForTimeout(settleMs);
  const recorded = await page.evaluate(recordFrames, seconds * 1000);
  if (pageErrors.length > 0) {
    throw new Error(`the page reported errors: ${pageErrors.join("; ")}`);
  }

  const intervals = recorded.timestamps.slice(1).map((timestamp, index) => timestamp - recorded.timestamps[index]);
  const peakTokens = Math.max(...recorded.tokenCounts);
  result = {
    url: values.url,
    chromium: browser.version(),
    viewport: "1280x720",
    seconds,
    settle_ms: settleMs,
    frames: recorded.timestamps.length,
    expected_tokens: expectedTokens,
    tokens: {
      median: median(recorded.tokenCounts),
      min: Math.min(...recorded.tokenCounts),
      peak: peakTokens,
      samples: recorded.tokenCounts.length,
    },
    frame_work_ms: {
      median: median(recorded.work),
      p95: percentile(recorded.work, 95),
      max: Math.max(...recorded.work),
    },
    frame_interval_ms: {
      median: median(intervals),
      p95: percentile(intervals, 95),
      max: Math.max(...intervals),
    },
    long_animation_frames: recorded.supportsLongFrames ? summarizeLongFrames(recorded.longFrames) : null,
  };
} finally {
  await browser.close();
}

const text = JSON.stringify(result, null, 2);
if (values.out) {
  await writeFile(values.out, `${text}\n`);
}
console.log(text);
if (result.tokens.peak < expectedTokens) {
  console.error(
    `[frames] error: at most ${result.tokens.peak} tokens were on screen, fewer than the ${expectedTokens} expected. ` +
      "Check that the page accepts the scenario in --url (it clamps payments to its limit).",
  );
  process.exit(1);
}
