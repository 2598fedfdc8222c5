// Helpers for the web app's browser tests: build web/ with Vite, serve web/dist over HTTP on a
// free port, and launch Debian's headless Chromium through playwright-core with a fresh profile
// and no background network traffic.

import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT, freePort, progress } from './node.mjs';

/** The web app's folder. */
export const WEB_DIR = join(REPO_ROOT, 'web');

/** Where Vite writes the built app. */
export const WEB_DIST = join(WEB_DIR, 'dist');

/** Debian's Chromium, which scripts/setup.sh installs. */
export const CHROMIUM = process.env.LEVER_CHROMIUM || '/usr/bin/chromium';

/** Where screenshots go: $LEVER_ARTIFACTS, else e2e/artifacts. */
export const ARTIFACTS_DIR = process.env.LEVER_ARTIFACTS || join(REPO_ROOT, 'e2e', 'artifacts');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} in ${cwd} failed with status ${result.status}`);
  }
}

/**
 * Builds the web app (Vite takes about a second, so always): installs its packages first when
 * web/node_modules is missing (npm ci, from web/package-lock.json), then runs `vite build`.
 */
export function buildWebApp() {
  if (!existsSync(join(WEB_DIR, 'node_modules', '.package-lock.json'))) {
    progress('installing the web app\'s packages (npm ci in web/)');
    run('npm', ['ci', '--no-audit', '--no-fund'], WEB_DIR);
  }
  progress('building the web app (vite build)');
  run('npm', ['run', 'build', '--silent'], WEB_DIR);
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * Serves the files under `root` on 127.0.0.1 at a free port (index.html for folders).
 * Returns { port, url, stop() }.
 */
export async function serveStatic(root = WEB_DIST) {
  const base = resolve(root);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  const port = await freePort();
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  progress(`serving ${root} on http://127.0.0.1:${port}/`);
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((done) => server.close(done)),
  };
}

/**
 * Launches headless Chromium with a fresh profile in a temporary folder and the flags that keep
 * it off the network (no updates, sync or background requests). Returns { context, page, stop() }.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}; run scripts/setup.sh (it installs Debian's chromium).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'lever-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    async stop() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot of `page` as `name`.png in the artifacts folder; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  progress(`screenshot ${path}`);
  return path;
}
