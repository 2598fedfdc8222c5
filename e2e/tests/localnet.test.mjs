// The four-validator network of scripts/localnet.sh on real Aura + GRANDPA, started from the
// runtime before this one (spec 100, e2e/fixtures/local-testnet-spec-100-raw.json.gz), and the
// fault drills run on it, each with its measured figures printed (docs/RELIABILITY.md):
//
// - every validator peers with the other three, blocks are produced and finalized, and every
//   validator feeds oracle prices (quorum 3 of 4);
// - a flood of 5,000 signed transfers from 50 accounts is included whole, every nonce accounted
//   for;
// - a validator killed: finality goes on without it; restarted from its own database, it
//   catches up;
// - `kill -9` of a validator mid-block and a restart lose no finalized block and no transaction
//   the network accepted;
// - the price server down past the oracle's maximum price age: prices go stale, nothing is
//   liquidated on them, and when the server returns prices recover and an unsafe vault is
//   liquidated;
// - a runtime upgrade to this build (spec 100 → this build's) submitted to the running network is applied,
//   migrates the liquidation engine's storage, seeds the validator set from the authorities, blocks go
//   on past two session boundaries and positions read the same;
// - three of the four price endpoints answering 2.5 s late: every price stays fresh;
// - with two of the four killed, prices go stale; Ctrl-C on the script stops what it started.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  mkdtempSync, readFileSync, writeFileSync, createWriteStream, rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Keyring } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import {
  REPO_ROOT, connect, heads, waitFor, progress, leverNodePath, oraclePrices, PRICED_ASSETS,
  submit, DOT, USDC, DOT_UNIT, USDC_UNIT, LVUSD_UNIT,
} from '../lib/node.mjs';
import {
  VALIDATORS, isAlive, startLocalnet, storageVersion, thisRuntimeSpecVersion, thisRuntimeWasm,
} from '../lib/localnet.mjs';
const SPEC_100 = join(REPO_ROOT, 'e2e', 'fixtures', 'local-testnet-spec-100-raw.json.gz');
const UNIT = 10n ** 12n;
const EXISTENTIAL_DEPOSIT = UNIT / 1_000n;
/** The oracle's maximum price age (runtime/src/configs/oracle.rs), in milliseconds. */
const MAX_PRICE_AGE_MS = 60_000;

let net;
let specDir;
let dir;
let rpcPorts;
let pricePort;
let apis;
/** Validators and the price server this file restarted itself, by name: their processes. */
const restarted = {};
const keyring = new Keyring({ type: 'sr25519' });

/** The pid of a validator (or the price server) as it runs now. */
function pidOf(name) {
  return restarted[name]?.pid ?? Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
}

/** Kills `name` (as it runs now) with SIGKILL and waits until it is gone. */
async function kill(name) {
  const pid = await net.kill(name, pidOf(name));
  delete restarted[name];
  return pid;
}

/** Restarts a validator from its own base path with the arguments the script gave it. */
async function restartValidator(name) {
  const args = readFileSync(join(dir, `${name}.args`), 'utf8').split('\0').filter(Boolean);
  const log = createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
  const child = spawn(leverNodePath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  restarted[name] = child;
  progress(`restarted ${name} (pid ${child.pid}) from its database`);
  apis[name] = await connect(rpcPorts[VALIDATORS.indexOf(name)]);
}

/** Whether a block's events hold an engine liquidation (a vault or a lending account). */
function liquidationsIn(events) {
  return events.filter(({ event }) => event.section === 'liquidation'
    && ['VaultLiquidated', 'LendingLiquidated', 'LendingWrittenOff'].includes(event.method));
}

before(async () => {
  specDir = mkdtempSync(join(tmpdir(), 'lever-e2e-spec-100-'));
  const spec = join(specDir, 'spec-100.json');
  writeFileSync(spec, gunzipSync(readFileSync(SPEC_100)));
  net = await startLocalnet('localnet', spec);
  ({ dir, rpcPorts, pricePort, apis } = net);
});

after(async () => {
  for (const child of Object.values(restarted)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await net?.stop();
  if (specDir) rmSync(specDir, { recursive: true, force: true });
});

test('all four validators peer with each other', async () => {
  for (const name of VALIDATORS) {
    await waitFor(`${name} to see 3 peers`, async () =>
      (await apis[name].rpc.system.health()).peers.toNumber() >= 3);
  }
  const roles = await Promise.all(VALIDATORS.map(async (n) => (await apis[n].rpc.system.nodeRoles()).map(String)));
  for (const r of roles) assert.deepEqual(r, ['Authority']);
});

test('the network runs the previous runtime, spec 100', async () => {
  const version = await apis.alice.rpc.state.getRuntimeVersion();
  assert.equal(version.specVersion.toNumber(), 100);
  assert.equal(await storageVersion(apis.alice, 'Liquidation'), 0);
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

test('a flood of 5,000 signed transfers from 50 accounts is included whole', async () => {
  const SENDERS = 50;
  const EACH = 100;
  const api = apis.alice;
  const alice = keyring.addFromUri('//Alice');
  const senders = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//Flood//${i}`));
  const recipient = keyring.addFromUri('//Flood//Recipient');
  const first = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  await Promise.all(senders.map((sender, i) =>
    api.tx.balances.transferKeepAlive(sender.address, 10n * UNIT).signAndSend(alice, { nonce: first + i })));
  await waitFor(`the ${SENDERS} senders funded`, async () => {
    const accounts = await api.query.system.account.multi(senders.map((s) => s.address));
    return accounts.every((a) => a.data.free.toBigInt() >= 10n * UNIT);
  }, { timeoutMs: 120_000 });

  progress(`signing ${SENDERS * EACH} transfers`);
  const signed = [];
  for (const sender of senders) {
    const own = [];
    for (let nonce = 0; nonce < EACH; nonce += 1) {
      own.push(await api.tx.balances.transferKeepAlive(recipient.address, EXISTENTIAL_DEPOSIT)
        .signAsync(sender, { nonce, era: 0 }));
    }
    signed.push(own);
  }
  const { best: before } = await heads(api);
  const started = Date.now();
  // Each sender's transfers in nonce order to one validator, the senders spread over all four.
  const accepted = await Promise.all(signed.map(async (own, i) => {
    const node = apis[VALIDATORS[i % VALIDATORS.length]];
    for (const tx of own) await node.rpc.author.submitExtrinsic(tx.toHex());
    return own.length;
  }));
  const submittedMs = Date.now() - started;
  assert.equal(accepted.reduce((a, b) => a + b, 0), SENDERS * EACH);
  progress(`${SENDERS * EACH} transfers accepted by the pools in ${submittedMs} ms`);
  await waitFor('every sender\'s nonce at 100', async () => {
    const accounts = await api.query.system.account.multi(senders.map((s) => s.address));
    return accounts.every((a) => a.nonce.toNumber() === EACH);
  }, { timeoutMs: 300_000, intervalMs: 500 });
  const includedMs = Date.now() - started;
  const { best: afterBest } = await heads(api);
  const perBlock = [];
  const senderKeys = new Set(senders.map((s) => u8aToHex(s.publicKey)));
  for (let n = before + 1; n <= afterBest; n += 1) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    const count = block.block.extrinsics.filter((xt) => xt.isSigned
      && xt.method.section === 'balances' && xt.method.method === 'transferKeepAlive'
      && senderKeys.has(u8aToHex(xt.signer.toU8a(true).slice(-32)))).length;
    if (count > 0) perBlock.push({ n, count });
  }
  const total = perBlock.reduce((sum, { count }) => sum + count, 0);
  assert.equal(total, SENDERS * EACH, 'every transfer is in a block, once');
  const received = (await api.query.system.account(recipient.address)).data.free.toBigInt();
  assert.equal(received, BigInt(SENDERS * EACH) * EXISTENTIAL_DEPOSIT);
  progress(`flood: ${total} transfers in ${perBlock.length} blocks `
    + `(#${perBlock[0].n}–#${perBlock.at(-1).n}, at most ${Math.max(...perBlock.map((b) => b.count))} a block), `
    + `${includedMs} ms from the first submission to the last inclusion`);
});

test('a killed validator: finality goes on without it; restarted from its database it catches up', async () => {
  const pid = await kill('bob');
  const { finalized: atKill } = await heads(apis.alice);
  progress(`killed bob (pid ${pid}) with finalized #${atKill}`);
  const survivors = ['alice', 'charlie', 'dave'];
  let widestGap = 0;
  // Ten blocks without bob, so its restart has blocks to catch up on.
  const afterKill = await waitFor(`finality past #${atKill + 10} on the three survivors`, async () => {
    const all = await Promise.all(survivors.map((n) => heads(apis[n])));
    widestGap = Math.max(widestGap, ...all.map((h) => h.best - h.finalized));
    return all.every((h) => h.finalized >= atKill + 10) ? all : null;
  }, { timeoutMs: 240_000 });
  progress(`without bob: ${afterKill.map((h, i) => `${survivors[i]} #${h.best}/#${h.finalized}`).join(', ')}; `
    + `widest gap between best and finalized ${widestGap} blocks`);

  const target = await heads(apis.alice);
  const restartedAt = Date.now();
  await restartValidator('bob');
  const caughtUp = await waitFor(`bob to reach #${target.best} (finalized #${target.finalized})`, async () => {
    const h = await heads(apis.bob);
    return h.best >= target.best && h.finalized >= target.finalized ? h : null;
  }, { timeoutMs: 180_000, intervalMs: 250 });
  progress(`bob caught up to #${caughtUp.best}/#${caughtUp.finalized} in ${Date.now() - restartedAt} ms from its restart `
    + `(the network was at #${target.best}/#${target.finalized})`);
  const now = await heads(apis.alice);
  await waitFor('finality to go on with all four', async () => {
    const all = await Promise.all(VALIDATORS.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= now.finalized + 2);
  }, { timeoutMs: 120_000 });
});

test('kill -9 of a validator mid-block loses no finalized block and no accepted transaction', async () => {
  const eve = keyring.addFromUri('//Eve');
  const payee = keyring.addFromUri('//Drill//Payee');
  const charlie = apis.charlie;
  const amount = 5n * UNIT;
  // A transfer through charlie, in a finalized block.
  const { blockHash: firstBlock } = await submit(charlie, charlie.tx.balances.transferKeepAlive(payee.address, amount), eve);
  const firstNumber = (await charlie.rpc.chain.getHeader(firstBlock)).number.toNumber();
  await waitFor('the first transfer finalized', async () => (await heads(charlie)).finalized >= firstNumber);
  // Mid-block: half a slot after charlie imports a block, with a second transfer just accepted.
  const seen = (await heads(charlie)).best;
  await waitFor('charlie to import the next block', async () => (await heads(charlie)).best > seen, { intervalMs: 100 });
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const finalizedHash = await charlie.rpc.chain.getFinalizedHead();
  const finalized = (await charlie.rpc.chain.getHeader(finalizedHash)).number.toNumber();
  const second = charlie.tx.balances.transferKeepAlive(payee.address, amount);
  await second.signAsync(eve);
  const secondHash = (await charlie.rpc.author.submitExtrinsic(second)).toHex();
  // Accepted by the network: alice has it (in her pool or already in a block).
  await waitFor('the second transfer to reach alice', async () => {
    const pending = await apis.alice.rpc.author.pendingExtrinsics();
    const paid = (await apis.alice.query.system.account(payee.address)).data.free.toBigInt();
    return pending.some((xt) => xt.hash.toHex() === secondHash) || paid === 2n * amount;
  }, { timeoutMs: 30_000, intervalMs: 100 });
  const pid = await kill('charlie');
  progress(`kill -9 of charlie (pid ${pid}) at finalized #${finalized}, transfer ${secondHash} accepted`);

  await restartValidator('charlie');
  const back = apis.charlie;
  await waitFor(`charlie to finalize past #${finalized}`, async () => (await heads(back)).finalized > finalized, { timeoutMs: 180_000 });
  assert.equal((await back.rpc.chain.getBlockHash(finalized)).toHex(), finalizedHash.toHex(), 'the finalized block is kept');
  assert.equal((await back.rpc.chain.getBlockHash(firstNumber)).toHex(), firstBlock.toHex());
  const paid = await waitFor('both transfers in the state charlie finalizes', async () => {
    const at = await back.rpc.chain.getFinalizedHead();
    const account = await (await back.at(at)).query.system.account(payee.address);
    return account.data.free.toBigInt() === 2n * amount ? account : null;
  }, { timeoutMs: 120_000 });
  assert.equal(paid.data.free.toBigInt(), 2n * amount);
});

test('the price server down past the maximum price age: no liquidation on stale prices; prices and liquidations resume', async () => {
  const api = apis.alice;
  const eve = keyring.addFromUri('//Eve');
  // Eve's vault at 154% of DOT's price: safe now, unsafe after a 10% dip (the ratio is 150%).
  const dot = (await oraclePrices(api)).get(DOT).value;
  const mint = BigInt(Math.floor((1_000 * dot) / 1.54)) * LVUSD_UNIT;
  // The network runs spec 100 here, where the vault pallet is named `cdp`.
  await submit(api, api.tx.cdp.open(DOT, 1_000n * DOT_UNIT), eve);
  await submit(api, api.tx.cdp.mint(DOT, mint), eve);
  progress(`Eve's vault: 1,000 DOT at $${dot} against ${mint / LVUSD_UNIT} lvUSD`);

  const pid = await kill('price-server');
  const stoppedAt = Date.now();
  const { best: downFrom } = await heads(api);
  progress(`price server (pid ${pid}) stopped at #${downFrom}`);
  const stale = await waitFor('every price to go stale', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => !prices.get(id).fresh) ? prices : null;
  }, { timeoutMs: MAX_PRICE_AGE_MS + 60_000, intervalMs: 1_000 });
  const staleAfter = Date.now() - stoppedAt;
  const { best: staleFrom } = await heads(api);
  // Two more blocks on stale prices.
  await waitFor('two blocks on stale prices', async () => (await heads(api)).best >= staleFrom + 2, { timeoutMs: 60_000 });

  const server = spawn('python3', [join(REPO_ROOT, 'scripts', 'price-server.py'), 'serve',
    '--port', String(pricePort), '--scenario', 'steady'], { stdio: 'ignore' });
  restarted['price-server'] = server;
  const returnedAt = Date.now();
  const { best: returnedFrom } = await heads(api);
  const fresh = await waitFor('fresh prices again', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => prices.get(id).fresh) ? prices : null;
  }, { timeoutMs: 120_000, intervalMs: 500 });
  const { best: freshAt } = await heads(api);
  progress(`prices stale ${staleAfter} ms after the server stopped (#${staleFrom}); fresh again `
    + `${Date.now() - returnedAt} ms after it returned (#${returnedFrom} → #${freshAt})`);
  assert.ok(stale.get(DOT).value > 0 && fresh.get(DOT).value > 0);
  // DOT dips 10% on the returned server: Eve's vault becomes unsafe on fresh prices.
  const response = await fetch(`http://127.0.0.1:${pricePort}/scenario`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scenario: 'dot-dip' }),
  });
  assert.ok(response.ok, 'the price server switches to dot-dip');

  for (let n = staleFrom; n < returnedFrom; n += 1) {
    const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
    assert.deepEqual(liquidationsIn(events).map(({ event }) => event.method), [],
      `no liquidation in block #${n}, on stale prices`);
  }
  const liquidated = await waitFor('Eve\'s vault liquidated once DOT dips on fresh prices', async () => {
    const { best } = await heads(api);
    for (let n = returnedFrom; n <= best; n += 1) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      const hit = liquidationsIn(events).find(({ event }) => event.method === 'VaultLiquidated'
        && u8aToHex(event.data[1].toU8a()) === u8aToHex(eve.publicKey));
      if (hit) return n;
    }
    return null;
  }, { timeoutMs: 180_000, intervalMs: 3_000 });
  progress(`Eve's vault liquidated in #${liquidated}, ${liquidated - freshAt} blocks after prices were fresh`);
});

/**
 * An account's supply in one lending market as JSON: its own storage item up to spec 105, part of
 * the account's positions (`lending.positions`) from spec 106.
 */
async function lendingSupply(api, asset, who) {
  if (api.query.lending.supplies) return (await api.query.lending.supplies(asset, who)).toJSON();
  const positions = (await api.query.lending.positions(who)).toJSON() ?? [];
  const held = positions.find(([market]) => market === asset);
  return held ? held[1].supply : null;
}

test('a runtime upgrade to this build on the running network migrates the engine and keeps every position', async () => {
  const alice = keyring.addFromUri('//Alice');
  const eve = keyring.addFromUri('//Eve');
  const ferdie = keyring.addFromUri('//Ferdie');
  await submit(apis.alice, apis.alice.tx.lending.supply(USDC, 10_000n * USDC_UNIT), ferdie);
  const before = await apis.alice.rpc.state.getRuntimeVersion();
  assert.equal(before.specVersion.toNumber(), 100);
  const positions = async (api) => ({
    // The vault pallet was named `cdp` up to spec 103.
    vault: (await (api.query.vaults ?? api.query.cdp).vaults(DOT, eve.address)).toHex(),
    supply: await lendingSupply(api, USDC, ferdie.address),
    books: (await api.query.liquidation.auctionBooks()).toHex(),
  });
  const held = await positions(apis.alice);
  assert.notEqual(held.vault, '0x00', 'Eve has a vault');
  assert.notEqual(held.supply, '0x00', 'Ferdie supplies USDC');

  const code = thisRuntimeWasm();
  const started = Date.now();
  const { blockHash } = await submit(apis.alice, apis.alice.tx.sudo.sudoUncheckedWeight(
    apis.alice.tx.system.setCode(u8aToHex(code)), { refTime: 0, proofSize: 0 }), alice);
  // Observed with @polkadot/api 16.5.6: a client connected across the upgrade decodes wrongly
  // afterwards (`api.call.oracleApi.prices is not a function`, events of the upgrade's block
  // undecodable); a new connection reads both runtimes' blocks correctly. Reconnect everyone.
  for (const [i, name] of VALIDATORS.entries()) {
    await apis[name].disconnect();
    apis[name] = await connect(rpcPorts[i]);
  }
  const api = apis.alice;
  const upgraded = await waitFor('the network on the new runtime', async () => {
    const version = await api.rpc.state.getRuntimeVersion();
    return version.specVersion.toNumber() > 100 ? version : null;
  }, { timeoutMs: 120_000, intervalMs: 500 });
  progress(`upgraded to spec ${upgraded.specVersion} in ${Date.now() - started} ms from submission (${code.length} bytes of code)`);
  assert.equal(upgraded.specVersion.toNumber(), thisRuntimeSpecVersion());
  // The upgrade's block, read with its own runtime's metadata (spec 100).
  const events = (await (await api.at(blockHash)).query.system.events()).map(({ event }) => event);
  const sudid = events.find((e) => e.section === 'sudo' && e.method === 'Sudid');
  assert.ok(sudid, 'sudo dispatched the upgrade');
  assert.ok(sudid.data[0].isOk, `system.setCode succeeded: ${sudid.data[0].toString()}`);
  assert.ok(events.some((e) => e.section === 'system' && e.method === 'CodeUpdated'), 'the code is set');

  await waitFor('the liquidation engine migrated to storage version 2', async () =>
    (await storageVersion(api, 'Liquidation')) === 2, { timeoutMs: 60_000 });
  assert.equal(await storageVersion(api, 'Vaults'), 1, 'the vault pallet moved to its name');
  assert.equal(await storageVersion(api, 'Oracle'), 2, 'the oracle migrated too (holds with a time, then one feed per asset)');
  assert.equal(await storageVersion(api, 'Lending'), 3, 'lending keeps each account in one item, indexes only its debtors and puts markets in pools');
  await waitFor('the multi-block migrations of lending positions and its index done', async () =>
    (await api.query.multiBlockMigrations.cursor()).isNone, { timeoutMs: 60_000 });
  const last = await api.query.system.lastRuntimeUpgrade();
  assert.equal(last.unwrap().specVersion.toNumber(), thisRuntimeSpecVersion());
  assert.deepEqual(await positions(api), held, 'positions read the same after the upgrade');
  // Spec 100 had no validator set: the upgrade seeds it from Aura's and GRANDPA's authorities.
  const listed = (await api.query.validatorSet.validators()).map((who) => who.toHex());
  const genesisValidators = VALIDATORS.map((n) => u8aToHex(
    keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`).publicKey,
  ));
  assert.deepEqual([...listed].sort(), genesisValidators.sort(), 'the four validators are listed');

  // Past two session boundaries on the new runtime: the same four keep authoring and finalizing.
  const { finalized, best: upgradedAt } = await heads(api);
  const sessionLength = api.consts.validatorSet.sessionLength.toNumber();
  await waitFor('finality on the new runtime on all four, past two session boundaries', async () => {
    const all = await Promise.all(VALIDATORS.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= Math.max(finalized + 3, upgradedAt + 2 * sessionLength + 1));
  }, { timeoutMs: 240_000 });
  assert.ok((await api.query.session.currentIndex()).toNumber() >= 2, 'two sessions went by');
  assert.equal((await api.query.aura.authorities()).length, 4, 'four authors');
  progress(`validator set seeded with ${listed.length}; session ${(await api.query.session.currentIndex()).toNumber()} finalized on all four`);
  await waitFor('fresh prices fed by the new runtime', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => prices.get(id).fresh && prices.get(id).ageMs < 30_000);
  }, { timeoutMs: 120_000 });
});

test('three of the four price endpoints 2.5 s slow: every price stays fresh on the new runtime', async () => {
  const api = apis.alice;
  const scenario = async (name) => {
    const response = await fetch(`http://127.0.0.1:${pricePort}/scenario`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scenario: name }),
    });
    assert.ok(response.ok, `the price server switches to ${name}`);
  };
  await scenario('slow-sources');
  const asked = Date.now();
  await (await fetch(`http://127.0.0.1:${pricePort}/price/DOT`)).json();
  const slowMs = Date.now() - asked;
  assert.ok(slowMs >= 2_400, `DOT's endpoint answers late (${slowMs} ms)`);
  const before = await oraclePrices(api);
  const { best: from } = await heads(api);
  // Longer than the maximum price age: with each source awaited in turn under its own 2 s
  // timeout, the three slow assets went stale within it.
  const until = Date.now() + MAX_PRICE_AGE_MS + 20_000;
  let checks = 0;
  while (Date.now() < until) {
    const prices = await oraclePrices(api);
    for (const { id, symbol } of PRICED_ASSETS) {
      assert.ok(prices.get(id).fresh, `${symbol} fresh ${Date.now() - asked} ms into the slow sources`);
    }
    checks += 1;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const after = await oraclePrices(api);
  const { best: to } = await heads(api);
  const rounds = PRICED_ASSETS.map(({ id, symbol }) => `${symbol} +${after.get(id).round - before.get(id).round}`);
  for (const { id, symbol } of PRICED_ASSETS) {
    assert.ok(after.get(id).round >= before.get(id).round + 4, `${symbol}'s price kept being set`);
  }
  progress(`slow sources (${slowMs} ms an answer): every price fresh at ${checks} checks over `
    + `blocks #${from}–#${to}; rounds set: ${rounds.join(', ')}`);
  await scenario('steady');
});

test('with two of the four validators killed, prices go stale', async () => {
  await kill('bob');
  await kill('charlie');
  progress('killed bob and charlie; two feeders are below the quorum of three');
  await waitFor('every price to go stale', async () => {
    const prices = await oraclePrices(apis.alice);
    return PRICED_ASSETS.every(({ id }) => !prices.get(id).fresh);
  }, { timeoutMs: 150_000, intervalMs: 3_000 });
});

test('Ctrl-C on scripts/localnet.sh stops every validator and the price server it started', async () => {
  const pids = ['alice', 'dave'].map((n) => Number(readFileSync(join(dir, `${n}.pid`), 'utf8')));
  for (const api of Object.values(apis)) await api.disconnect().catch(() => {});
  net.script.kill('SIGINT');
  const { code } = await net.exited;
  assert.equal(code, 130, 'the script exits as interrupted');
  for (const pid of pids) assert.ok(!isAlive(pid), `validator pid ${pid} stopped`);
  const server = restarted['price-server'];
  if (server && server.exitCode === null) server.kill('SIGTERM');
});
