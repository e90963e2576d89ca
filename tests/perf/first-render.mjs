#!/usr/bin/env node
// Time from navigation to the first render of the playground's panels, in
// headless Chromium, over --runs page loads. Each load uses a new browser
// context, so nothing comes from the HTTP cache or a compiled-wasm cache.
//
// An init script, which runs before the page's own scripts, watches the DOM
// with a MutationObserver and records, in milliseconds since navigation
// start (performance.now()):
//
// - panels_in_dom: the polling panel ([data-testid=panel-polling]) exists;
// - panels_rendered: the first task after the next animation frame, which
//   runs once that frame has been styled, laid out and painted. This is the
//   figure the 300 ms target is about;
// - first_contentful_paint: the browser's own paint timing, which the
//   "Loading the playground…" text can trigger before the app starts;
// - wasm_loaded and js_loaded: the end of the download of the .wasm and
//   the .js file (Resource Timing), which shows how much of the time is
//   spent downloading and how much compiling, starting and rendering.
//
// It prints each run and the medians as JSON and writes them to --out.
//
// Usage: node tests/perf/first-render.mjs --url http://127.0.0.1:4191/ [--runs 10] [--out FILE]

import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { launchChromium, median, wholeNumber } from "./browser.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    runs: { type: "string", default: "10" },
    out: { type: "string" },
  },
});
if (!values.url) {
  console.error("usage: node tests/perf/first-render.mjs --url URL [--runs 10] [--out FILE]");
  process.exit(2);
}
const runs = wholeNumber(values.runs, "runs", 1);

/** Runs in the page before its scripts: records when the panels appear and are painted. */
function watchPanels() {
  const marks = {};
  window.__firstRender = marks;
  const observer = new MutationObserver(() => {
    if (marks.panelsInDom !== undefined || !document.querySelector("[data-testid=panel-polling]")) {
      return;
    }
    marks.panelsInDom = performance.now();
    observer.disconnect();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      marks.panelsRendered = performance.now();
    };
    requestAnimationFrame(() => channel.port2.postMessage(null));
  });
  observer.observe(document, { childList: true, subtree: true });
}

const browser = await launchChromium();
const samples = [];
try {
  for (let run = 1; run <= runs; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.addInitScript(watchPanels);
      await page.goto(values.url);
      await page.waitForFunction(() => window.__firstRender?.panelsRendered !== undefined, null, { timeout: 30_000 });
      const sample = await page.evaluate(() => {
        const loaded = (suffix) =>
          performance.getEntriesByType("resource").find((entry) => entry.name.endsWith(suffix))?.responseEnd ?? null;
        return {
          panels_in_dom: window.__firstRender.panelsInDom,
          panels_rendered: window.__firstRender.panelsRendered,
          first_contentful_paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
          js_loaded: loaded(".js"),
          wasm_loaded: loaded(".wasm"),
        };
      });
      console.error(`[first-render] run ${run}/${runs}: panels rendered after ${sample.panels_rendered.toFixed(1)} ms`);
      samples.push(sample);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}

const medianOf = (key) => median(samples.map((sample) => sample[key]).filter((value) => value !== null));
const result = {
  url: values.url,
  runs,
  median_ms: {
    panels_in_dom: medianOf("panels_in_dom"),
    panels_rendered: medianOf("panels_rendered"),
    first_contentful_paint: medianOf("first_contentful_paint"),
    js_loaded: medianOf("js_loaded"),
    wasm_loaded: medianOf("wasm_loaded"),
  },
  max_panels_rendered_ms: Math.max(...samples.map((sample) => sample.panels_rendered)),
  samples,
};
const text = JSON.stringify(result, null, 2);
if (values.out) {
  await writeFile(values.out, `${text}\n`);
}
console.log(text);
