// Governance on the four-validator network of scripts/localnet.sh (real Aura + GRANDPA) with no
// sudo key, driven by @polkadot/api from the metadata alone (docs/GOVERNANCE.md):
//
// - the network starts on the runtime before this one (spec 108,
//   e2e/fixtures/local-testnet-spec-108-raw.json.gz, with its sudo key taken out of genesis, as a
//   public network would launch); a referendum authorizes this build's runtime, anyone applies
//   it, and positions read the same before and after; the upgrade seeds the validator set;
// - the risk council freezes a market at once and is refused a riskier change;
// - referenda raise a market's supply cap (applied after the enactment delay), add a fifth
//   validator (Eve, a new node whose keys come from author_rotateKeysWithOwner and
//   session.setKeys) and remove Dave: Eve then authors blocks and her price submissions count;
// - with Dave out and Dave and Charlie killed, Alice, Bob and Eve keep finalizing.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Keyring, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, xxhashAsU8a } from '@polkadot/util-crypto';
import {
  REPO_ROOT, connect, freePort, heads, leverNodePath, priceSourceArgs, progress, submit, waitFor,
  DOT, USDC, USDC_UNIT,
} from '../lib/node.mjs';
import {
  VALIDATORS, isAlive, startLocalnet, thisRuntimeSpecVersion, thisRuntimeWasm,
} from '../lib/localnet.mjs';
import {
  approvedAt, moduleError, passMotion, submitReferendum,
} from '../lib/governance.mjs';

const SPEC_108 = join(REPO_ROOT, 'e2e', 'fixtures', 'local-testnet-spec-108-raw.json.gz');

let net;
let specDir;
let apis;
let api;
let eveNode;
let eveApi;
/** Eve's session keys, once registered. */
let eveKeys;
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const eve = keyring.addFromUri('//Eve');
const ferdie = keyring.addFromUri('//Ferdie');

/** The raw storage key of a plain storage value. */
function plainKey(pallet, item) {
  return u8aToHex(new Uint8Array([...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(item, 128)]));
}

/** The author of the block with `header`: Aura's authority for its slot, at that block. */
async function auraAuthor(header) {
  const log = header.digest.logs.find((item) => item.isPreRuntime
    && item.asPreRuntime[0].toString() === 'aura');
  const slot = api.createType('u64', log.asPreRuntime[1]).toBigInt();
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return authorities[Number(slot % BigInt(authorities.length))].toHex();
}

/** The public keys (hex) of the Aura authorities now. */
async function auraAuthorities() {
  return (await api.query.aura.authorities()).map((key) => key.toHex());
}

/** Reconnects every client (a client connected across an upgrade decodes wrongly afterwards). */
async function reconnectAll() {
  for (const [i, name] of VALIDATORS.entries()) {
    if (!apis[name]) continue;
    await apis[name].disconnect();
    apis[name] = await connect(net.rpcPorts[i]);
  }
  api = apis.alice;
}

before(async () => {
  specDir = mkdtempSync(join(tmpdir(), 'lever-e2e-spec-108-'));
  const spec = JSON.parse(gunzipSync(readFileSync(SPEC_108)));
  // No sudo key: the network is governed by the council and referenda alone.
  const sudoKey = plainKey('Sudo', 'Key');
  assert.ok(spec.genesis.raw.top[sudoKey], 'the spec-108 local testnet had a sudo key');
  delete spec.genesis.raw.top[sudoKey];
  const specPath = join(specDir, 'spec-108-no-sudo.json');
  writeFileSync(specPath, JSON.stringify(spec));
  net = await startLocalnet('governance-localnet', specPath);
  apis = net.apis;
  api = apis.alice;
  keyring.setSS58Format(api.registry.chainSS58);
});

after(async () => {
  await eveApi?.disconnect().catch(() => {});
  if (eveNode && eveNode.exitCode === null && eveNode.signalCode === null) eveNode.kill('SIGKILL');
  await net?.stop();
  if (specDir) rmSync(specDir, { recursive: true, force: true });
});

test('the network runs spec 108 with no sudo key and finalizes', async () => {
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), 108);
  assert.ok((await api.query.sudo.key()).isNone, 'no sudo key');
  await waitFor('block 3 finalized on every validator', async () => {
    const all = await Promise.all(VALIDATORS.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= 3);
  }, { timeoutMs: 180_000 });
});

test('a runtime upgrade passed by referendum applies on the running network', async () => {
  await submit(api, api.tx.lending.supply(USDC, 10_000n * USDC_UNIT), ferdie);
  const positions = async () => (await api.query.lending.positions(ferdie.address)).toHex();
  const held = await positions();
  assert.notEqual(held, '0x00', 'Ferdie supplies USDC');

  const code = thisRuntimeWasm();
  const codeHash = blake2AsHex(code, 256);
  const index = await submitReferendum(api, keyring, api.tx.system.authorizeUpgrade(codeHash), alice);
  const approved = await approvedAt(api, index);
  await waitFor('the upgrade authorized by the referendum', async () =>
    (await api.query.system.authorizedUpgrade()).isSome, { timeoutMs: 180_000, intervalMs: 2_000 });
  const { best: authorizedBy } = await heads(api);
  const enactment = (await api.query.trackPeriods.trackPeriods()).enactment.toNumber();
  assert.ok(authorizedBy >= approved + enactment, `authorized by block ${authorizedBy}, not before ${approved + enactment}`);
  progress(`referendum ${index} approved at block ${approved}, upgrade authorized by block ${authorizedBy}`);

  // Anyone may apply an authorized upgrade: Ferdie, no member of any council.
  const started = Date.now();
  const { blockHash } = await submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), ferdie);
  await reconnectAll();
  // The upgrade's block, read with its own runtime's metadata (spec 108) by a new connection.
  const events = (await (await api.at(blockHash)).query.system.events()).map(({ event }) => event);
  assert.ok(events.some((e) => e.section === 'system' && e.method === 'CodeUpdated'), 'the code is set');
  const upgraded = await waitFor('the network on the new runtime', async () => {
    const version = await api.rpc.state.getRuntimeVersion();
    return version.specVersion.toNumber() > 108 ? version : null;
  }, { timeoutMs: 120_000, intervalMs: 500 });
  assert.equal(upgraded.specVersion.toNumber(), thisRuntimeSpecVersion());
  progress(`upgraded to spec ${upgraded.specVersion} in ${Date.now() - started} ms from applying it`);
  assert.equal(await positions(), held, 'positions read the same after the upgrade');
  assert.ok((await api.query.sudo.key()).isNone, 'still no sudo key');
  const listed = (await api.query.validatorSet.validators()).map((who) => who.toHex());
  assert.equal(listed.length, 4, 'the validator set seeded with the four');

  const { finalized } = await heads(api);
  await waitFor('finality on the new runtime on all four', async () => {
    const all = await Promise.all(VALIDATORS.map((n) => heads(apis[n])));
    return all.every((h) => h.finalized >= finalized + 3);
  }, { timeoutMs: 180_000 });
});

test('the risk council freezes a market at once and is refused a riskier change', async () => {
  const market = async (asset) => (await api.query.lending.markets(asset)).unwrap();
  const frozen = await passMotion(api, api.tx.lending.setMarketStatus(DOT, 'Frozen'), [alice, bob]);
  assert.ok(frozen.data.result.isOk, 'the freeze applied');
  assert.equal((await market(DOT)).status.type, 'Frozen');
  const params = (await market(USDC)).params;
  const raised = { ...params.toJSON(), supplyCap: params.supplyCap.toBigInt() * 2n };
  const refused = await passMotion(api, api.tx.lending.setMarketParams(USDC, raised), [alice, bob]);
  assert.ok(refused.data.result.isErr, 'the motion was refused');
  assert.equal(moduleError(api, refused.data.result), 'lending.RiskIncreasing');
  assert.equal((await market(USDC)).params.supplyCap.toBigInt(), params.supplyCap.toBigInt());
  progress('DOT frozen by a council motion; a USDC cap raise by the council refused');
});

test('referenda raise a supply cap, add Eve as a validator and remove Dave', async () => {
  // Eve's node: a new validator with its own network key, syncing from Alice.
  const eveDir = join(net.dir, 'eve');
  mkdirSync(eveDir, { recursive: true });
  const [eveP2p, eveRpc] = [await freePort(), await freePort()];
  const alicePeer = (await api.rpc.system.localPeerId()).toString();
  const eveArgs = [
    '--chain', join(specDir, 'spec-108-no-sudo.json'), '--base-path', eveDir, '--name', 'eve',
    '--validator', '--port', String(eveP2p), '--rpc-port', String(eveRpc),
    '--node-key', '5'.padStart(64, '0'), '--no-prometheus', '--no-telemetry', '--no-mdns',
    '--bootnodes', `/ip4/127.0.0.1/tcp/${net.p2pPort}/p2p/${alicePeer}`,
    ...priceSourceArgs(net.pricePort),
  ];
  const log = createWriteStream(join(net.dir, 'eve.log'));
  eveNode = spawn(leverNodePath(), eveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  eveNode.stdout.pipe(log);
  eveNode.stderr.pipe(log);
  eveApi = await connect(eveRpc);
  const { best } = await heads(api);
  await waitFor('Eve synced', async () => (await heads(eveApi)).best >= best, { timeoutMs: 180_000 });

  // Keys made in Eve's keystore, with the proof that her account owns them, then registered.
  const rpc = new WsProvider(`ws://127.0.0.1:${eveRpc}`);
  await rpc.isReady;
  const generated = await rpc.send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
  await rpc.disconnect();
  const keys = api.createType(api.tx.session.setKeys.meta.args[0].type, generated.keys);
  await submit(api, api.tx.session.setKeys(keys, generated.proof), eve);
  eveKeys = keys;
  const eveAura = keys.aura.toHex();
  const eveOrcl = keys.oracle.toHex();
  progress(`Eve registered aura ${eveAura.slice(0, 10)}…, orcl ${eveOrcl.slice(0, 10)}…`);

  const market = async (asset) => (await api.query.lending.markets(asset)).unwrap();
  const before = (await market(USDC)).params;
  const cap = before.supplyCap.toBigInt() * 2n;
  const dave = keyring.addFromUri('//Dave');
  const referenda = [
    await submitReferendum(api, keyring, api.tx.lending.setMarketParams(USDC, { ...before.toJSON(), supplyCap: cap }), alice),
    await submitReferendum(api, keyring, api.tx.validatorSet.addValidator(eve.address), alice),
    await submitReferendum(api, keyring, api.tx.validatorSet.removeValidator(dave.address), alice),
  ];
  const approvals = [];
  for (const index of referenda) approvals.push(await approvedAt(api, index));
  const enactment = (await api.query.trackPeriods.trackPeriods()).enactment.toNumber();
  progress(`referenda ${referenda.join(', ')} approved at blocks ${approvals.join(', ')}`);

  await waitFor('the raised cap applies', async () => (
    (await market(USDC)).params.supplyCap.toBigInt() === cap
  ), { timeoutMs: 180_000, intervalMs: 3_000 });
  const { best: capBy } = await heads(api);
  assert.ok(capBy >= approvals[0] + enactment, `cap applied by block ${capBy}, not before ${approvals[0] + enactment}`);

  await waitFor('Eve listed and Dave not', async () => {
    const listed = (await api.query.validatorSet.validators()).map((who) => who.toHex());
    return listed.includes(u8aToHex(eve.publicKey)) && !listed.includes(u8aToHex(dave.publicKey));
  }, { timeoutMs: 180_000, intervalMs: 3_000 });
  const sessionLength = api.consts.validatorSet.sessionLength.toNumber();
  await waitFor('Eve in office (two session boundaries later) and Dave out', async () => {
    const authorities = await auraAuthorities();
    return authorities.includes(eveAura) && !authorities.includes(u8aToHex(dave.publicKey));
  }, { timeoutMs: 4 * sessionLength * 6_000 + 60_000, intervalMs: 3_000 });
  assert.ok((await api.query.oracle.feeders()).map((key) => key.toHex()).includes(eveOrcl), 'Eve feeds');

  const authored = await waitFor('a block authored by Eve', async () => {
    const header = await api.rpc.chain.getHeader();
    return (await auraAuthor(header)) === eveAura ? header.number.toNumber() : null;
  }, { timeoutMs: 120_000, intervalMs: 2_000 });
  const round = await waitFor('a price submission of Eve counted', async () => {
    const last = await api.query.oracle.lastRound(eveOrcl);
    return last.isSome ? last.unwrap().toNumber() : null;
  }, { timeoutMs: 120_000, intervalMs: 2_000 });
  progress(`Eve authored block ${authored} and fed prices in round ${round}`);
});

test('with Dave removed, and Dave and Charlie killed, Alice, Bob and Eve keep finalizing', async () => {
  // The GRANDPA set without Dave must be in force (its change block finalized) before anyone
  // is killed.
  const daveGrandpa = u8aToHex(new Keyring({ type: 'ed25519' }).addFromUri('//Dave').publicKey);
  const eveGrandpa = eveKeys.grandpa.toHex();
  const set = await waitFor('GRANDPA authorities without Dave, with Eve', async () => {
    const keys = (await api.call.grandpaApi.grandpaAuthorities()).map(([key]) => key.toHex());
    return keys.includes(eveGrandpa) && !keys.includes(daveGrandpa) ? keys : null;
  }, { timeoutMs: 120_000, intervalMs: 3_000 });
  assert.equal(set.length, 4);
  const setId = (await api.query.grandpa.currentSetId()).toNumber();
  assert.ok(setId >= 1, `GRANDPA set ${setId}`);
  const { best } = await heads(api);
  await waitFor('the set change finalized', async () => (await heads(api)).finalized >= best, { timeoutMs: 120_000 });
  progress(`GRANDPA set ${setId} of ${set.length} (Eve in, Dave out) in force; killing dave and charlie`);
  for (const name of ['dave', 'charlie']) {
    const pid = await net.kill(name);
    assert.ok(!isAlive(pid));
  }
  const { finalized } = await heads(api);
  await waitFor('finality goes on with Alice, Bob and Eve', async () =>
    (await heads(api)).finalized >= finalized + 3, { timeoutMs: 180_000, intervalMs: 3_000 });
  const { finalized: now } = await heads(eveApi);
  assert.ok(now >= finalized + 3, `Eve's node finalized block ${now}`);
  progress(`finalized from block ${finalized} to ${now} with three of the four`);
});
