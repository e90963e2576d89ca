// Tests for the static file server in server.mjs, run by Node's test runner:
// node --test tests/e2e/server.test.mjs
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { HOST, contentTypeFor, createStaticServer, normalizePrefix } from "./server.mjs";

const SERVER_SCRIPT = fileURLToPath(new URL("./server.mjs", import.meta.url));

let workDir;
let root;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "pollhook-server-test-"));
  root = path.join(workDir, "dist");
  await mkdir(path.join(root, "nested"), { recursive: true });
  await writeFile(path.join(root, "index.html"), "<!doctype html><title>root</title>");
  await writeFile(path.join(root, "app-1a2b.js"), "export default 1;");
  await writeFile(path.join(root, "app-1a2b_bg.wasm"), Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(path.join(root, "style-3c4d.css"), "body{}");
  await writeFile(path.join(root, "nested", "index.html"), "nested index");
  await writeFile(path.join(root, "has space.txt"), "spaced");
  // A file next to root that no request may reach.
  await writeFile(path.join(workDir, "secret.txt"), "secret");
});

after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Starts a server on a free loopback port and returns { port, close }. */
async function startServer(prefix) {
  const server = createStaticServer({ root, prefix, log: () => {} });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Sends a request with the raw path (no URL normalization) and collects the response. */
function fetchRaw(port, rawPath, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("contentTypeFor", () => {
  const cases = [
    ["index.html", "text/html; charset=utf-8"],
    ["app.js", "text/javascript; charset=utf-8"],
    ["app_bg.wasm", "application/wasm"],
    ["style.css", "text/css; charset=utf-8"],
    ["icon.SVG", "image/svg+xml"],
    ["data.bin", "application/octet-stream"],
    ["no-extension", "application/octet-stream"],
  ];
  for (const [fileName, expected] of cases) {
    test(`type of ${fileName}`, () => {
      assert.equal(contentTypeFor(fileName), expected);
    });
  }
});

describe("normalizePrefix", () => {
  const cases = [
    [undefined, "/"],
    ["", "/"],
    ["/", "/"],
    ["course/playground", "/course/playground/"],
    ["/course/playground", "/course/playground/"],
    ["/course/playground/", "/course/playground/"],
  ];
  for (const [input, expected] of cases) {
    test(`prefix ${JSON.stringify(input)}`, () => {
      assert.equal(normalizePrefix(input), expected);
    });
  }
});

describe("server at the root path", () => {
  let server;
  before(async () => {
    server = await startServer("/");
  });
  after(async () => {
    await server.close();
  });

  test("serves index.html for /", async () => {
    const res = await fetchRaw(server.port, "/");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    assert.match(res.body.toString(), /<title>root<\/title>/);
  });

  test("serves wasm as application/wasm", async () => {
    const res = await fetchRaw(server.port, "/app-1a2b_bg.wasm");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/wasm");
    assert.equal(res.headers["content-length"], "8");
    assert.deepEqual([...res.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  });

  test("serves js and css types", async () => {
    const js = await fetchRaw(server.port, "/app-1a2b.js");
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    const css = await fetchRaw(server.port, "/style-3c4d.css");
    assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
  });

  test("decodes percent-encoded names", async () => {
    const res = await fetchRaw(server.port, "/has%20space.txt");
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "spaced");
  });

  test("missing file is 404", async () => {
    const res = await fetchRaw(server.port, "/missing.js");
    assert.equal(res.status, 404);
    assert.match(res.body.toString(), /Not found: \/missing\.js/);
  });

  test("directory without slash redirects", async () => {
    const res = await fetchRaw(server.port, "/nested");
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, "/nested/");
  });

  test("directory with slash serves its index", async () => {
    const res = await fetchRaw(server.port, "/nested/");
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "nested index");
  });

  test("path traversal is 404", async () => {
    for (const rawPath of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/nested/..%2f..%2fsecret.txt"]) {
      const res = await fetchRaw(server.port, rawPath);
      assert.equal(res.status, 404, `status for ${rawPath}`);
      assert.doesNotMatch(res.body.toString(), /secret$/, `body for ${rawPath}`);
    }
  });

  test("malformed percent-encoding is 400", async () => {
    const res = await fetchRaw(server.port, "/%E0%A4%A");
    assert.equal(res.status, 400);
  });

  test("HEAD sends headers without body", async () => {
    const res = await fetchRaw(server.port, "/app-1a2b.js", "HEAD");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-length"], String("export default 1;".length));
    assert.equal(res.body.length, 0);
  });

  test("POST is 405", async () => {
    const res = await fetchRaw(server.port, "/", "POST");
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, "GET, HEAD");
  });
});

describe("server under a prefix", () => {
  let server;
  before(async () => {
    server = await startServer("/course/playground/");
  });
  after(async () => {
    await server.close();
  });

  test("serves index at the prefix", async () => {
    const res = await fetchRaw(server.port, "/course/playground/");
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<title>root<\/title>/);
  });

  test("serves files under the prefix", async () => {
    const res = await fetchRaw(server.port, "/course/playground/app-1a2b_bg.wasm");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/wasm");
  });

  test("prefix without slash redirects", async () => {
    const res = await fetchRaw(server.port, "/course/playground");
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, "/course/playground/");
  });

  test("paths outside the prefix are 404", async () => {
    for (const rawPath of ["/", "/index.html", "/course/", "/course/playgroundx/index.html"]) {
      const res = await fetchRaw(server.port, rawPath);
      assert.equal(res.status, 404, `status for ${rawPath}`);
    }
  });
});

describe("command line", () => {
  /** Runs server.mjs with args until it exits or prints its start line. */
  function runServer(args) {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [SERVER_SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes("serving ")) child.kill("SIGTERM");
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }

  test("port in use fails clearly", async () => {
    const blocker = await startServer("/");
    try {
      const result = await runServer(["--root", root, "--port", String(blocker.port)]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`port ${blocker.port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await blocker.close();
    }
  });

  test("missing root fails clearly", async () => {
    const result = await runServer(["--root", path.join(workDir, "no-such-dir"), "--port", "0"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no-such-dir not found/);
  });

  test("missing --root is a usage error", async () => {
    const result = await runServer(["--port", "0"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing --root/);
  });

  test("invalid port is a usage error", async () => {
    const result = await runServer(["--root", root, "--port", "http"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid --port http/);
  });

  test("starts, reports URL, stops on SIGTERM", async () => {
    const result = await runServer(["--root", root, "--port", "0", "--prefix", "course/playground"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /at http:\/\/127\.0\.0\.1:\d+\/course\/playground\//);
    assert.match(result.stdout, /stopping on SIGTERM/);
  });
});
