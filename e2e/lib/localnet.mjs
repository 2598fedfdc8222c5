// Helpers for the tests on the four-validator network of scripts/localnet.sh: start it from a
// chain spec on free ports, tell whether a process lives, read a pallet's storage version, and
// find this build's runtime for upgrades.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';
import {
  REPO_ROOT, connect, freePort, leverNodePath, progress, waitFor,
} from './node.mjs';

/** The genesis validators of the local testnet, in the order scripts/localnet.sh starts them. */
export const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** Whether a TCP port on 127.0.0.1 is free right now. */
function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Finds `count` consecutive free ports (the script gives validator i the first port + i). */
export async function consecutiveFreePorts(count) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = await freePort();
    let free = 1;
    while (free < count && first + free <= 65535 && await portFree(first + free)) free += 1;
    if (free === count) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Whether process `pid` is alive. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The raw storage key of a pallet's on-chain storage version. */
function storageVersionKey(pallet) {
  return u8aToHex(new Uint8Array([
    ...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(':__STORAGE_VERSION__:', 128),
  ]));
}

/** A pallet's on-chain storage version (0 when none was ever written). */
export async function storageVersion(api, pallet) {
  const raw = await api.rpc.state.getStorage(storageVersionKey(pallet));
  const bytes = raw.isSome === undefined ? raw.toU8a(true) : (raw.isSome ? raw.unwrap().toU8a(true) : []);
  return bytes.length ? bytes[0] : 0;
}

/** The runtime this build embeds, as an upgrade's code. */
export function thisRuntimeWasm() {
  const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'lever-target');
  const path = join(targetDir, 'release', 'wbuild', 'lever-runtime', 'lever_runtime.compact.compressed.wasm');
  if (!existsSync(path)) throw new Error(`no runtime wasm at ${path}; build the node first`);
  return readFileSync(path);
}

/** The `spec_version` this build's runtime declares (runtime/src/lib.rs), which an upgrade reaches. */
export function thisRuntimeSpecVersion() {
  const source = readFileSync(join(REPO_ROOT, 'runtime', 'src', 'lib.rs'), 'utf8');
  const found = /^\s*spec_version:\s*(\d+),/m.exec(source);
  if (!found) throw new Error('no spec_version in runtime/src/lib.rs');
  return Number(found[1]);
}

/**
 * Starts scripts/localnet.sh from the raw chain spec at `spec` in a new temporary directory
 * (named after `name`), on free ports, and connects to each validator. Returns the network:
 * { dir, rpcPorts, p2pPort, pricePort, apis (by validator name), pidOf(name), stop() }.
 */
export async function startLocalnet(name, spec) {
  const dir = mkdtempSync(join(tmpdir(), `lever-e2e-${name}-`));
  const p2pPort = await consecutiveFreePorts(VALIDATORS.length);
  const rpc = await consecutiveFreePorts(VALIDATORS.length);
  const rpcPorts = VALIDATORS.map((_, i) => rpc + i);
  const pricePort = await freePort();
  const log = createWriteStream(join(dir, 'localnet.sh.log'));
  const script = spawn('bash', [join(REPO_ROOT, 'scripts', 'localnet.sh'), '--dir', dir, '--chain-spec', spec], {
    env: {
      ...process.env,
      LEVER_NODE: leverNodePath(),
      LEVER_SKIP_BUILD: '1',
      LOCALNET_P2P_PORT: String(p2pPort),
      LOCALNET_RPC_PORT: String(rpc),
      PRICE_PORT: String(pricePort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  script.stdout.pipe(log);
  script.stderr.pipe(log);
  const exited = new Promise((resolve) => script.on('exit', (code, signal) => resolve({ code, signal })));
  progress(`scripts/localnet.sh (pid ${script.pid}) in ${dir}, RPC ports ${rpcPorts.join(', ')}`);
  const apis = {};
  for (const [i, validator] of VALIDATORS.entries()) {
    apis[validator] = await connect(rpcPorts[i]);
  }
  const pidOf = (validator) => Number(readFileSync(join(dir, `${validator}.pid`), 'utf8'));
  return {
    dir,
    script,
    exited,
    rpcPorts,
    p2pPort,
    pricePort,
    apis,
    /** The pid scripts/localnet.sh started `validator` (or the price server) with. */
    pidOf,
    /** Kills `validator` (its pid `pid`, by default the one the script started) with SIGKILL and
     * waits until it is gone. */
    async kill(validator, pid = pidOf(validator)) {
      assert.ok(isAlive(pid), `${validator} runs before the kill`);
      await apis[validator]?.disconnect().catch(() => {});
      delete apis[validator];
      process.kill(pid, 'SIGKILL');
      await waitFor(`${validator} (pid ${pid}) to exit`, () => !isAlive(pid), { timeoutMs: 30_000, intervalMs: 200 });
      return pid;
    },
    /** Disconnects, stops the script (Ctrl-C) and removes the directory. */
    async stop() {
      for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
      if (script.exitCode === null && script.signalCode === null) {
        script.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
