#!/usr/bin/env node
// Static file server for the built bundle (dist/), used by the browser tests
// and by scripts/serve.sh. Node standard library only.
//
// Usage: node tests/e2e/server.mjs --root dist [--port 4173] [--prefix /course/playground/]
//
// It listens on 127.0.0.1 only, handles GET and HEAD requests, serves
// index.html for a directory, and returns 404 for missing files and for
// paths outside the prefix or the root directory. A bundle served under a
// prefix must be built with the same public URL:
// scripts/build.sh --public-url /course/playground/

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export const HOST = "127.0.0.1";
export const DEFAULT_PORT = 4173;

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

/** Returns the Content-Type for a file name, by its extension. */
export function contentTypeFor(fileName) {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

/** Normalizes a URL path prefix to the form "/", or "/a/b/" with both slashes. */
export function normalizePrefix(prefix) {
  const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

function sendText(response, status, text, headers = {}) {
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Resolves a request to a file path inside root, or to a redirect.
 * Returns { status, location } for a redirect or an error status, or { filePath } to serve.
 */
async function resolveRequest(root, prefix, rawUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, "http://placeholder").pathname);
  } catch {
    return { status: 400 };
  }
  if (pathname.includes("\0")) {
    return { status: 400 };
  }

  // "/course/playground" without its trailing slash would break the
  // bundle's relative URLs, so it redirects to the prefix itself.
  if (prefix !== "/" && pathname === prefix.slice(0, -1)) {
    return { status: 301, location: prefix };
  }
  if (!pathname.startsWith(prefix)) {
    return { status: 404 };
  }

  const relativePath = pathname.slice(prefix.length);
  const filePath = path.resolve(root, relativePath);
  // path.resolve collapses "..", so a path that escapes root shows up here.
  if (filePath !== root && !filePath.startsWith(root + path.sep)) {
    return { status: 404 };
  }

  let stats;
  try {
    stats = await stat(filePath);
  } catch {
    return { status: 404 };
  }

  if (stats.isDirectory()) {
    if (!pathname.endsWith("/")) {
      return { status: 301, location: `${pathname}/` };
    }
    const indexPath = path.join(filePath, "index.html");
    try {
      if ((await stat(indexPath)).isFile()) {
        return { filePath: indexPath };
      }
    } catch {
      // No index.html in this directory: fall through to 404.
    }
    return { status: 404 };
  }
  return stats.isFile() ? { filePath } : { status: 404 };
}

/**
 * Creates (but does not start) an HTTP server that serves files under root,
 * at URL paths that start with prefix.
 */
export function createStaticServer({ root, prefix = "/", log = console.error }) {
  const rootPath = path.resolve(root);
  const urlPrefix = normalizePrefix(prefix);

  const handle = async (request, response) => {
    const method = request.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      log(`405 ${method} ${request.url}`);
      sendText(response, 405, `Method not allowed: ${method}\n`, { Allow: "GET, HEAD" });
      return;
    }

    const result = await resolveRequest(rootPath, urlPrefix, request.url ?? "/");
    if (result.location) {
      response.writeHead(result.status, { Location: result.location, "Content-Length": 0 });
      response.end();
      return;
    }
    if (!result.filePath) {
      const reason = result.status === 400 ? "Bad request" : "Not found";
      log(`${result.status} ${method} ${request.url}`);
      sendText(response, result.status, `${reason}: ${request.url}\n`);
      return;
    }

    const { size } = await stat(result.filePath);
    response.writeHead(200, {
      "Content-Type": contentTypeFor(result.filePath),
      "Content-Length": size,
      // Rebuilt bundles keep their URLs for index.html, so the browser must revalidate.
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (method === "HEAD") {
      response.end();
      return;
    }

    const stream = createReadStream(result.filePath);
    stream.on("error", (error) => {
      log(`error reading ${result.filePath}: ${error.message}`);
      response.destroy(error);
    });
    stream.pipe(response);
  };

  return createServer((request, response) => {
    handle(request, response).catch((error) => {
      log(`500 ${request.method} ${request.url}: ${error.message}`);
      if (!response.headersSent) {
        sendText(response, 500, "Internal server error\n");
      } else {
        response.destroy(error);
      }
    });
  });
}

function parseCommandLine(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: "string" },
      port: { type: "string", default: String(DEFAULT_PORT) },
      prefix: { type: "string", default: "/" },
    },
  });
  if (!values.root) {
    throw new Error("missing --root DIR: the directory to serve, such as dist");
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid --port ${values.port}: expected an integer from 0 to 65535`);
  }
  return { root: values.root, port, prefix: values.prefix };
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${error.message}`);
    console.error("usage: node tests/e2e/server.mjs --root DIR [--port 4173] [--prefix /sub/path/]");
    process.exit(2);
  }

  const rootStats = await stat(options.root).catch(() => null);
  if (!rootStats?.isDirectory()) {
    console.error(`error: directory ${options.root} not found. Build the bundle first with scripts/build.sh`);
    process.exit(1);
  }

  const server = createStaticServer({ root: options.root, prefix: options.prefix });
  server.on("error", (error) => {
    if (error.code === "EADDRINUSE") {
      console.error(
        `error: port ${options.port} on ${HOST} is already in use. ` +
          "Stop the process that listens there, or choose another port.",
      );
    } else {
      console.error(`error: server failed on ${HOST}:${options.port}: ${error.message}`);
    }
    process.exit(1);
  });

  server.listen(options.port, HOST, () => {
    const { port } = server.address();
    console.log(`serving ${path.resolve(options.root)} at http://${HOST}:${port}${normalizePrefix(options.prefix)}`);
  });

  const stop = (signal) => {
    console.log(`stopping on ${signal}`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
