#!/usr/bin/env node
// Times the simulation compiled to wasm (examples/wasm_sim.rs) in headless
// Chromium. The page at --url (tests/perf/wasm-sim.html next to the
// wasm-bindgen output) runs each strategy --runs times with --payments
// payments and times each call with performance.now(). This script also
// reads the CPU time of the page's main thread around each call, because on
// a shared machine the wall time includes the time other processes held the
// CPU. It prints the runs and their medians as JSON and writes them to --out.
//
// Usage: node tests/perf/wasm-sim.mjs --url http://127.0.0.1:4192/
//          [--payments 1000000] [--runs 3] [--out target/bench/wasm.json]

import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { launchChromium, median, wholeNumber } from "./browser.mjs";

const STRATEGIES = ["polling", "webhook"];

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    payments: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    out: { type: "string" },
  },
});
if (!values.url) {
  throw new Error("missing --url: the address of the served wasm-sim.html, such as http://127.0.0.1:4192/");
}
const payments = wholeNumber(values.payments, "payments", 1);
const runs = wholeNumber(values.runs, "runs", 1);

/**
 * Returns the CPU time, in nanoseconds, of each renderer process's main
 * thread (thread id = process id), from Linux's /proc schedstat files.
 * Chromium names its renderer processes over the DevTools protocol.
 */
async function rendererCpuNs(session) {
  const { processInfo } = await session.send("SystemInfo.getProcessInfo");
  const times = new Map();
  for (const { type, id } of processInfo) {
    if (type !== "renderer") {
      continue;
    }
    try {
      times.set(id, Number(readFileSync(`/proc/${id}/task/${id}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // A renderer that has exited, or a system without /proc: no figure for it.
    }
  }
  return times;
}

/** Returns the largest growth in CPU time between two readings, in ms: the page's own renderer does the run. */
function busiestRendererMs(before, after) {
  let largest = null;
  for (const [id, nanoseconds] of after) {
    if (before.has(id)) {
      const grown = (nanoseconds - before.get(id)) / 1e6;
      largest = largest === null ? grown : Math.max(largest, grown);
    }
  }
  return largest;
}

const browser = await launchChromium();
try {
  const session = await browser.newBrowserCDPSession();
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(values.url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30_000 }).catch((error) => {
    throw new Error(`the wasm module did not load at ${values.url}: ${pageErrors.join("; ") || error.message}`);
  });

  const lanes = [];
  for (const strategy of STRATEGIES) {
    const samples = [];
    for (let run = 1; run <= runs; run += 1) {
      const cpuBefore = await rendererCpuNs(session);
      const sample = await page.evaluate(([name, count]) => window.runBenchmark(name, count), [strategy, payments]);
      sample.cpu_ms = busiestRendererMs(cpuBefore, await rendererCpuNs(session));
      console.error(
        `[wasm-sim] ${strategy} run ${run}/${runs}: ${(sample.elapsed_ms / 1000).toFixed(2)} s wall, ` +
          `${sample.cpu_ms === null ? "unknown" : (sample.cpu_ms / 1000).toFixed(2)} s CPU, ${sample.events} events`,
      );
      samples.push(sample);
    }
    const elapsed = samples.map((sample) => sample.elapsed_ms);
    const cpu = samples.map((sample) => sample.cpu_ms).filter((value) => value !== null);
    const medianMs = median(elapsed);
    const { cpu_ms: _firstCpu, ...firstSample } = samples[0];
    lanes.push({
      ...firstSample,
      elapsed_ms: elapsed,
      median_ms: medianMs,
      cpu_ms: cpu,
      median_cpu_ms: median(cpu),
      payments_per_second: payments / (medianMs / 1000),
      events_per_second: samples[0].events / (medianMs / 1000),
    });
  }

  const document = {
    chromium: browser.version(),
    payments,
    runs,
    lanes,
  };
  const text = JSON.stringify(document, null, 2);
  if (values.out) {
    await writeFile(values.out, `${text}\n`);
  }
  console.log(text);
} finally {
  await browser.close();
}
