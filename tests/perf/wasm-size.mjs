#!/usr/bin/env node
// Splits a wasm module's size by section, and its code section by crate and
// by function, using the function names in the module's "name" section.
//
// scripts/bench.sh feeds it the app's wasm optimized as the release build
// is (wasm-bindgen, then wasm-opt -Oz) but with -g, which keeps the names.
// A function's size is its body in the code section after inlining. Code
// inlined into a caller counts for the caller's crate. Generic code counts
// for the crate named first in the instantiated function's path, which for
// `<A as B>::f` is the crate of A. The split is therefore an estimate.
// --reference names the shipped wasm (dist/*_bg.wasm), whose code section
// size is recorded next to the analysed one: equal sizes show that keeping
// the names changed no code.
//
// Usage: node tests/perf/wasm-size.mjs --wasm FILE [--reference FILE] [--top 15] [--out FILE]

import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { wholeNumber } from "./browser.mjs";

const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "data count",
];

const { values } = parseArgs({
  options: {
    wasm: { type: "string" },
    reference: { type: "string" },
    top: { type: "string", default: "15" },
    out: { type: "string" },
  },
});
if (!values.wasm) {
  console.error("usage: node tests/perf/wasm-size.mjs --wasm FILE [--reference FILE] [--top 15] [--out FILE]");
  process.exit(2);
}
const top = wholeNumber(values.top, "top", 1);

/** A cursor over the module's bytes that reads the LEB128 and name encodings of the wasm binary format. */
class Reader {
  constructor(bytes, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }

  unsigned() {
    let result = 0;
    let scale = 1;
    let byte;
    do {
      byte = this.bytes[this.offset++];
      result += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return result;
  }

  name() {
    const length = this.unsigned();
    const text = this.bytes.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
}

/** Returns the sections in order as { id, name, start, size }, where start is the offset of the contents. */
function readSections(bytes, file) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) {
    throw new Error(`${file} is not a wasm module: the magic number is missing`);
  }
  const sections = [];
  const reader = new Reader(bytes, 8);
  while (reader.offset < bytes.length) {
    const id = bytes[reader.offset++];
    const size = reader.unsigned();
    const start = reader.offset;
    const name = id === 0 ? `custom "${new Reader(bytes, start).name()}"` : SECTION_NAMES[id] ?? `unknown ${id}`;
    sections.push({ id, name, start, size });
    reader.offset = start + size;
  }
  return sections;
}

/** Returns the number of imported functions, which come before the module's own in the index space. */
function countImportedFunctions(bytes, section) {
  if (!section) {
    return 0;
  }
  const reader = new Reader(bytes, section.start);
  let functions = 0;
  const count = reader.unsigned();
  for (let index = 0; index < count; index += 1) {
    reader.name();
    reader.name();
    const kind = bytes[reader.offset++];
    if (kind === 0) {
      functions += 1;
      reader.unsigned();
    } else if (kind === 1) {
      reader.offset += 1;
      const flags = reader.unsigned();
      reader.unsigned();
      if (flags & 1) reader.unsigned();
    } else if (kind === 2) {
      const flags = reader.unsigned();
      reader.unsigned();
      if (flags & 1) reader.unsigned();
    } else if (kind === 3) {
      reader.offset += 2;
    } else if (kind === 4) {
      reader.offset += 1;
      reader.unsigned();
    } else {
      throw new Error(`unknown import kind ${kind} in ${values.wasm}`);
    }
  }
  return functions;
}

/** Returns the body size of each function defined in the module, in order. */
function readBodySizes(bytes, section) {
  const reader = new Reader(bytes, section.start);
  const count = reader.unsigned();
  const sizes = [];
  for (let index = 0; index < count; index += 1) {
    const size = reader.unsigned();
    sizes.push(size);
    reader.offset += size;
  }
  return sizes;
}

/** Returns a Map from function index to name, from the "name" section's function names. */
function readFunctionNames(bytes, section) {
  const names = new Map();
  if (!section) {
    return names;
  }
  const reader = new Reader(bytes, section.start);
  reader.name();
  const end = section.start + section.size;
  while (reader.offset < end) {
    const kind = bytes[reader.offset++];
    const size = reader.unsigned();
    const next = reader.offset + size;
    if (kind === 1) {
      const count = reader.unsigned();
      for (let entry = 0; entry < count; entry += 1) {
        const index = reader.unsigned();
        names.set(index, reader.name());
      }
    }
    reader.offset = next;
  }
  return names;
}

const PRIMITIVES = new Set([
  "bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize",
  "u8", "u16", "u32", "u64", "u128", "usize",
]);

/** Bucket for Yew's generic lifecycle: its view function inlines a component's view, and the name does not say which. */
const COMPONENT_VIEWS = "component views inlined into yew's CompStateInner::view";

/**
 * Returns the crate a function's code is charged to, which is the first
 * segment of the function's path. In `<A as B>::f` it is the crate of A,
 * or of B when A is a primitive or a type parameter. Drop glue
 * (`drop_in_place<T>`) is charged to T. The playground's own crate is split
 * by module (pollhook::sim, pollhook::components).
 */
function owner(name) {
  let path = name.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
  if (path.startsWith("<yew::html::component::lifecycle::CompStateInner<COMP> as")) {
    return COMPONENT_VIEWS;
  }
  const dropGlue = /^core::ptr::drop_in_place<(.*)>$/.exec(path);
  if (dropGlue) {
    path = dropGlue[1];
  }
  for (;;) {
    path = path.replace(/^(?:[<&*\s(]|mut |const |dyn )+/, "");
    const head = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0] ?? "";
    if (head.length > 1 && !PRIMITIVES.has(head)) {
      const segments = path.split("::");
      return head === "pollhook" && segments.length > 2 ? `pollhook::${segments[1]}` : head;
    }
    const trait = path.indexOf(" as ");
    if (trait < 0) {
      return "(other)";
    }
    path = path.slice(trait + 4);
  }
}

const bytes = await readFile(values.wasm);
const sections = readSections(bytes, values.wasm);
const code = sections.find((section) => section.id === 10);
const nameSection = sections.find((section) => section.name === 'custom "name"');
if (!code) {
  throw new Error(`${values.wasm} has no code section`);
}
if (!nameSection) {
  throw new Error(`${values.wasm} has no "name" section: keep it with wasm-opt -g`);
}

const imported = countImportedFunctions(bytes, sections.find((section) => section.id === 2));
const names = readFunctionNames(bytes, nameSection);
const functions = readBodySizes(bytes, code).map((size, index) => ({
  // An unnamed function gets its index, which owner() charges to "(other)".
  name: names.get(imported + index) ?? `#${imported + index}`,
  size,
}));

const byCrate = new Map();
for (const fn of functions) {
  const key = owner(fn.name);
  byCrate.set(key, (byCrate.get(key) ?? 0) + fn.size);
}
const crates = [...byCrate.entries()]
  .map(([crate, size]) => ({ crate, size, share: size / code.size }))
  .sort((a, b) => b.size - a.size);
const largest = [...functions].sort((a, b) => b.size - a.size).slice(0, top);
let reference = null;
if (values.reference) {
  const referenceBytes = await readFile(values.reference);
  const referenceCode = readSections(referenceBytes, values.reference).find((section) => section.id === 10);
  reference = { wasm: values.reference, total: referenceBytes.length, code_bytes: referenceCode?.size ?? 0 };
}
const result = {
  wasm: values.wasm,
  total: bytes.length,
  sections: sections.map(({ name, size }) => ({ name, size })),
  code_bytes: code.size,
  reference,
  functions: functions.length,
  crates,
  largest_functions: largest,
};

if (values.out) {
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
}
console.log(`[wasm-size] ${values.wasm}: ${bytes.length} bytes, code section ${code.size} bytes in ${functions.length} functions`);
if (reference) {
  console.log(`[wasm-size] ${reference.wasm}: ${reference.total} bytes, code section ${reference.code_bytes} bytes`);
}
for (const { crate, size, share } of crates.slice(0, top)) {
  console.log(`[wasm-size] ${crate.padEnd(28)} ${String(size).padStart(8)} bytes ${(share * 100).toFixed(1).padStart(5)}% of code`);
}
