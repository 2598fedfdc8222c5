// The four-validator network of scripts/localnet.sh on real Aura + GRANDPA: every validator peers
// with the other three, blocks are produced and finalized, and every validator feeds oracle prices.
// With one of the four killed, finality continues (3 of 4 is above GRANDPA's two-thirds) and
// prices stay fresh (quorum 3 of 4); with two killed, prices go stale.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT, freePort, connect, heads, waitFor, progress, leverNodePath, oraclePrices, PRICED_ASSETS,
} from '../lib/node.mjs';

const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** Finds `count` consecutive free ports (the script gives validator i the first port + i). */
async function consecutiveFreePorts(count) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = await freePort();
    const ports = [first];
    for (let i = 1; i < count; i += 1) {
      if (first + i > 65535) break;
      const probe = await new Promise((resolve) => {
        import('node:net').then(({ createServer }) => {
          const server = createServer();
          server.once('error', () => resolve(false));
          server.listen(first + i, '127.0.0.1', () => server.close(() => resolve(true)));
        });
      });
      if (!probe) break;
      ports.push(first + i);
    }
    if (ports.length === count) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let dir;
let script;
let scriptExited;
let rpcPorts;
const apis = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lever-e2e-localnet-'));
  const p2p = await consecutiveFreePorts(4);
  const rpc = await consecutiveFreePorts(4);
  rpcPorts = VALIDATORS.map((_, i) => rpc + i);
  const log = createWriteStream(join(dir, 'localnet.sh.log'));
  script = spawn('bash', [join(REPO_ROOT, 'scripts', 'localnet.sh'), '--dir', dir], {
    env: {
      ...process.env,
      LEVER_NODE: leverNodePath(),
      LEVER_SKIP_BUILD: '1',
      LOCALNET_P2P_PORT: String(p2p),
      LOCALNET_RPC_PORT: String(rpc),
      PRICE_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  script.stdout.pipe(log);
  script.stderr.pipe(log);
  scriptExited = new Promise((resolve) => script.on('exit', (code, signal) => resolve({ code, signal })));
  progress(`scripts/localnet.sh (pid ${script.pid}) in ${dir}, RPC ports ${rpcPorts.join(', ')}`);
  for (const [i, name] of VALIDATORS.entries()) {
    apis[name] = await connect(rpcPorts[i]);
  }
});

after(async () => {
  for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
  if (script && script.exitCode === null && script.signalCode === null) {
    script.kill('SIGINT');
    await scriptExited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('all four validators peer with each other', async () => {
  for (const name of VALIDATORS) {
    await waitFor(`${name} to see 3 peers`, async () =>
      (await apis[name].rpc.system.health()).peers.toNumber() >= 3);
  }
  const roles = await Promise.all(VALIDATORS.map(async (n) => (await apis[n].rpc.system.nodeRoles()).map(String)));
  for (const r of roles) assert.deepEqual(r, ['Authority']);
});

test('blocks are produced by all four authors and finalized', async () => {
  const authorities = await apis.alice.query.aura.authorities();
  assert.equal(authorities.length, 4);
  const grandpa = await apis.alice.call.grandpaApi.grandpaAuthorities();
  assert.equal(grandpa.length, 4);
  const reached = await waitFor('block 5 finalized on every validator', async () => {
    const all = await Promise.all(VALIDATORS.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= 5) ? all : null;
  }, { timeoutMs: 180_000 });
  progress(`heads: ${reached.map((h, i) => `${VALIDATORS[i]} #${h.best}/#${h.finalized}`).join(', ')}`);
});

test('every validator feeds prices and the quorum of 3 of 4 sets them', async () => {
  const api = apis.alice;
  const feeders = (await api.query.oracle.feeders()).map(String);
  assert.equal(feeders.length, 4);
  assert.equal((await api.query.oracle.minFeeders()).toNumber(), 3);
  await waitFor('a submission from each of the four feeders', async () => {
    const rounds = await Promise.all(feeders.map((f) => api.query.oracle.lastRound(f)));
    return rounds.every((r) => r.isSome);
  }, { timeoutMs: 120_000 });
  await waitFor('fresh prices for every test asset', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => prices.get(id)?.fresh);
  }, { timeoutMs: 60_000 });
});

test('finality continues with one of the four validators killed', async () => {
  const bobPid = Number(readFileSync(join(dir, 'bob.pid'), 'utf8'));
  assert.ok(isAlive(bobPid), 'bob runs before the kill');
  await apis.bob.disconnect();
  delete apis.bob;
  process.kill(bobPid, 'SIGKILL');
  await waitFor('bob to exit', () => !isAlive(bobPid), { timeoutMs: 30_000 });
  const { finalized: atKill } = await heads(apis.alice);
  progress(`killed bob (pid ${bobPid}) with finalized #${atKill}`);

  const survivors = ['alice', 'charlie', 'dave'];
  const after = await waitFor(`finality past #${atKill + 3} on the three survivors`, async () => {
    const all = await Promise.all(survivors.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= atKill + 3) ? all : null;
  }, { timeoutMs: 180_000 });
  progress(`after the kill: ${after.map((h, i) => `${survivors[i]} #${h.best}/#${h.finalized}`).join(', ')}`);

  const { best } = await heads(apis.alice);
  const fresh = await waitFor('prices set by the three survivors', async () => {
    const { best: now } = await heads(apis.alice);
    if (now < best + 6) return null;
    const prices = await oraclePrices(apis.alice);
    return PRICED_ASSETS.every(({ id }) => prices.get(id).fresh && prices.get(id).ageMs < 30_000) ? prices : null;
  }, { timeoutMs: 120_000 });
  assert.ok(fresh.get(1).value > 0);
});

test('with two of the four validators killed, prices go stale', async () => {
  const charliePid = Number(readFileSync(join(dir, 'charlie.pid'), 'utf8'));
  await apis.charlie.disconnect();
  delete apis.charlie;
  process.kill(charliePid, 'SIGKILL');
  await waitFor('charlie to exit', () => !isAlive(charliePid), { timeoutMs: 30_000 });
  progress(`killed charlie (pid ${charliePid}); two feeders are below the quorum of three`);
  await waitFor('every price to go stale', async () => {
    const prices = await oraclePrices(apis.alice);
    return PRICED_ASSETS.every(({ id }) => !prices.get(id).fresh);
  }, { timeoutMs: 150_000, intervalMs: 3_000 });
});

test('Ctrl-C on scripts/localnet.sh stops every validator and the price server', async () => {
  const pids = [...VALIDATORS, 'price-server'].map((n) => Number(readFileSync(join(dir, `${n}.pid`), 'utf8')));
  for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
  script.kill('SIGINT');
  const { code } = await scriptExited;
  assert.equal(code, 130, 'the script exits as interrupted');
  for (const pid of pids) assert.ok(!isAlive(pid), `validator pid ${pid} stopped`);
});
