#!/usr/bin/env node
// Measures the release bundle in dist/ (raw and gzip -9 bytes per file and
// per kind) and fails when the gzipped total exceeds the budget in
// bench/bundle-budget.json by more than its allowed growth.
//
// scripts/test.sh runs it after the release build, so CI fails when the
// bundle grows too much; scripts/bench.sh runs it to record the sizes. When
// a change makes the bundle larger on purpose, raise gzipped_total_bytes in
// the budget file in the same commit and give the reason in the commit message.
//
// Usage: node scripts/check-bundle-size.mjs [--dist dist] [--budget bench/bundle-budget.json] [--out FILE]

import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const { values } = parseArgs({
  options: {
    dist: { type: "string", default: "dist" },
    budget: { type: "string", default: "bench/bundle-budget.json" },
    out: { type: "string" },
  },
});

const KINDS = { ".wasm": "wasm", ".js": "js", ".css": "css", ".html": "html" };

async function readBudget(file) {
  let budget;
  try {
    budget = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`failed to read the bundle budget ${file}: ${error.message}`);
  }
  for (const key of ["gzipped_total_bytes", "max_growth_percent"]) {
    if (!Number.isFinite(budget[key]) || budget[key] < 0) {
      throw new Error(`invalid ${key} in ${file}: expected a non-negative number, found ${JSON.stringify(budget[key])}`);
    }
  }
  return budget;
}

/** Returns raw and gzip -9 sizes of every file in dir, by file and by kind. */
async function measure(dir) {
  let names;
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw new Error(`failed to read ${dir}: ${error.message}. Build the bundle first with scripts/build.sh`);
  }
  if (!names.some((name) => name.endsWith(".wasm"))) {
    throw new Error(`no .wasm file in ${dir}. Build the bundle first with scripts/build.sh`);
  }

  const files = [];
  const kinds = {};
  const total = { raw: 0, gzip: 0 };
  for (const name of names.sort()) {
    const bytes = await readFile(path.join(dir, name));
    const kind = KINDS[path.extname(name)] ?? "other";
    const sizes = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    files.push({ name, kind, ...sizes });
    kinds[kind] ??= { raw: 0, gzip: 0 };
    kinds[kind].raw += sizes.raw;
    kinds[kind].gzip += sizes.gzip;
    total.raw += sizes.raw;
    total.gzip += sizes.gzip;
  }
  return { files, kinds, total };
}

const kilobytes = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

const budget = await readBudget(values.budget);
const sizes = await measure(values.dist);
const limit = Math.floor(budget.gzipped_total_bytes * (1 + budget.max_growth_percent / 100));
const result = {
  dist: values.dist,
  ...sizes,
  budget_gzip: budget.gzipped_total_bytes,
  limit_gzip: limit,
  within_limit: sizes.total.gzip <= limit,
};

for (const [kind, size] of Object.entries(sizes.kinds)) {
  console.log(`[bundle] ${kind.padEnd(5)} ${kilobytes(size.raw).padStart(9)} raw ${kilobytes(size.gzip).padStart(9)} gzip -9`);
}
console.log(`[bundle] total ${kilobytes(sizes.total.raw).padStart(9)} raw ${kilobytes(sizes.total.gzip).padStart(9)} gzip -9`);
console.log(
  `[bundle] budget ${budget.gzipped_total_bytes} bytes gzipped, limit ${limit} bytes (+${budget.max_growth_percent}%), ` +
    `measured ${sizes.total.gzip} bytes`,
);
if (values.out) {
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
}
if (!result.within_limit) {
  console.error(
    `[bundle] error: the gzipped bundle is ${sizes.total.gzip} bytes, more than the limit of ${limit} bytes ` +
      `(${values.budget}: ${budget.gzipped_total_bytes} bytes + ${budget.max_growth_percent}%). ` +
      "Shrink the bundle, or raise gzipped_total_bytes in the budget file and give the reason in the commit message.",
  );
  process.exit(1);
}
