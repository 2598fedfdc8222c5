// Helpers shared by the end-to-end tests: find the lever-node binary, start it on free ports with a
// temporary base path, connect @polkadot/api, wait for chain conditions with progress output, and
// stop everything.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';

/** The repository's root folder. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lever-node binary under test: $LEVER_NODE, else the release build in the target dir. */
export function leverNodePath() {
  const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'lever-target');
  const path = process.env.LEVER_NODE || join(targetDir, 'release', 'lever-node');
  if (!existsSync(path)) {
    throw new Error(`lever-node not found at ${path}; build it with scripts/test.sh or set LEVER_NODE.`);
  }
  return path;
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Logs a line of progress, prefixed so it stands out in the test runner's output. */
export function progress(message) {
  console.log(`# [e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/**
 * Starts `lever-node` with `args` plus a fresh temporary base path and free ports.
 * Returns { process, rpcPort, basePath, logPath, stop() }.
 */
export async function startNode(args, name = 'node') {
  const basePath = mkdtempSync(join(tmpdir(), `lever-e2e-${name}-`));
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logPath = join(basePath, `${name}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(
    leverNodePath(),
    [...args, '--base-path', basePath, '--rpc-port', String(rpcPort), '--port', String(p2pPort),
      '--no-prometheus', '--no-telemetry', '--no-mdns'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  progress(`started ${name} (pid ${child.pid}) on ws://127.0.0.1:${rpcPort}, log ${logPath}`);
  return {
    process: child,
    rpcPort,
    basePath,
    logPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(basePath, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every `intervalMs` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor(description, check, { timeoutMs = 120_000, intervalMs = 1_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  let lastReport = 0;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - lastReport > 10_000) {
      progress(`waiting for ${description}...`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}` +
    (lastError ? ` (last error: ${lastError.message})` : ''));
}

/** Connects @polkadot/api to a node's RPC port, waiting for the node to accept connections. */
export async function connect(rpcPort) {
  const endpoint = `ws://127.0.0.1:${rpcPort}`;
  return waitFor(`RPC at ${endpoint}`, async () => {
    const provider = new WsProvider(endpoint, false);
    try {
      await provider.connect();
      await provider.isReadyOrError;
      return await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
    } catch (error) {
      await provider.disconnect().catch(() => {});
      throw error;
    }
  }, { timeoutMs: 120_000 });
}

/** The number of the latest block and of the latest finalized block. */
export async function heads(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalizedHash = await api.rpc.chain.getFinalizedHead();
  const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
  return { best, finalized };
}

/**
 * Signs and submits `tx` with `signer`, resolves when it is in a block with its events, and
 * rejects when the pool drops it or the dispatch fails.
 */
export function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInBlock) {
        unsubscribe();
        if (dispatchError) {
          const detail = dispatchError.isModule
            ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
            : dispatchError.toString();
          reject(new Error(`dispatch failed: ${detail}`));
        } else {
          resolve({ blockHash: status.asInBlock, events: events.map(({ event }) => event) });
        }
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((unsub) => { unsubscribe = unsub; }, reject);
  });
}

/**
 * The dev chains' assets as the runtime defines them: chain-specs/dev-assets.json, which a runtime
 * test generates from runtime/src/genesis/dev_assets.rs. `priced` are the test assets the oracle
 * prices, `lvusd` the stablecoin.
 */
export const DEV_ASSETS = JSON.parse(
  readFileSync(join(REPO_ROOT, 'chain-specs', 'dev-assets.json'), 'utf8'));

/** The dev assets the oracle prices: { id, symbol, decimals, ... } in identifier order. */
export const PRICED_ASSETS = DEV_ASSETS.priced;

function devAsset(symbol) {
  const asset = [...DEV_ASSETS.priced, DEV_ASSETS.lvusd].find((a) => a.symbol === symbol);
  if (!asset) throw new Error(`chain-specs/dev-assets.json lists no ${symbol}`);
  return asset;
}

/** One whole token of the dev asset `symbol`, in its smallest unit. */
export function unitOf(symbol) {
  return 10n ** BigInt(devAsset(symbol).decimals);
}

/** Identifiers and units of the dev assets the tests use. */
export const DOT = devAsset('DOT').id;
export const BTC = devAsset('BTC').id;
export const ETH = devAsset('ETH').id;
export const USDC = devAsset('USDC').id;
export const LVUSD = devAsset('lvUSD').id;
export const DOT_UNIT = unitOf('DOT');
export const BTC_UNIT = unitOf('BTC');
export const ETH_UNIT = unitOf('ETH');
export const USDC_UNIT = unitOf('USDC');
export const LVUSD_UNIT = unitOf('lvUSD');
/** One as a FixedU128 (18 decimals): ratios, health factors and leverage. */
export const FIXED_ONE = 10n ** 18n;
/** 1% as a Permill. */
export const ONE_PERCENT = 10_000;

/** The `--price-source` flags pointing a node at the price server on `port`. */
export function priceSourceArgs(port) {
  return PRICED_ASSETS.flatMap(({ id, symbol }) =>
    ['--price-source', `${id}=http://127.0.0.1:${port}/price/${symbol}#/usd`]);
}

/**
 * Starts scripts/price-server.py on a free port with `scenario`.
 * Returns { port, switchTo(name), stop() }.
 */
export async function startPriceServer(scenario = 'steady') {
  const port = await freePort();
  const child = spawn('python3', [join(REPO_ROOT, 'scripts', 'price-server.py'), 'serve',
    '--port', String(port), '--scenario', scenario], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(`the price server on port ${port}`, async () => {
    const response = await fetch(`http://127.0.0.1:${port}/prices`);
    return response.ok;
  }, { timeoutMs: 20_000, intervalMs: 200 });
  progress(`price server (pid ${child.pid}) on http://127.0.0.1:${port}, scenario ${scenario}`);
  return {
    port,
    async switchTo(name) {
      const response = await fetch(`http://127.0.0.1:${port}/scenario`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: name }),
      });
      if (!response.ok) throw new Error(`switching to ${name}: HTTP ${response.status}`);
      progress(`price server switched to ${name}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The oracle runtime API's view of every priced asset, keyed by asset id. */
export async function oraclePrices(api, at) {
  const call = at ? (await api.at(at)).call : api.call;
  const infos = await call.oracleApi.prices();
  return new Map(infos.map((info) => [info.asset.toNumber(), {
    value: info.price.isSome ? Number(info.price.unwrap().value.toBigInt()) / 1e18 : null,
    round: info.price.isSome ? info.price.unwrap().round.toNumber() : null,
    ageMs: info.ageMs.isSome ? info.ageMs.unwrap().toNumber() : null,
    fresh: info.fresh.isTrue,
    frozen: info.frozen.isTrue,
  }]));
}

/**
 * Starts the price server (steady) and a dev node fed by it, connects @polkadot/api and waits
 * until every test asset has a fresh price. Returns { server, node, api, keyring, stop() }.
 */
export async function startPricedDevChain(name) {
  const server = await startPriceServer('steady');
  const node = await startNode(['--dev', ...priceSourceArgs(server.port)], name);
  const api = await connect(node.rpcPort);
  await waitFor('fresh prices for every test asset', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => prices.get(id)?.fresh);
  }, { timeoutMs: 60_000, intervalMs: 500 });
  return {
    server,
    node,
    api,
    keyring: new Keyring({ type: 'sr25519' }),
    async stop() {
      await api.disconnect();
      await node.stop();
      await server.stop();
    },
  };
}

/** The balance of pallet-assets `asset` held by `who` (a keyring pair), as a bigint. */
export async function assetBalance(api, asset, who) {
  const account = await api.query.assets.account(asset, who.address);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

