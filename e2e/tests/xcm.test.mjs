// XCM as an integrator meets it on the running dev node: which fee assets Lever accepts and at what
// price, the account a sibling user gets, and dry runs of an incoming reserve transfer and of an
// outgoing send, all through the runtime APIs with nothing but the chain's metadata.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode, connect, submit, progress } from '../lib/node.mjs';

const SS58_PREFIX = 7013;
const XCM_VERSION = 5;
const SIBLING = 2000;
const SIB_UNIT = 10n ** 12n;
// A FixedU128 of 0.1: a tenth of a SIB unit per planck of LVR fee.
const SIB_FEE_RATE = 10n ** 17n;
const SIB = { parents: 1, interior: { X1: [{ Parachain: SIBLING }] } };
const HERE = { parents: 0, interior: 'Here' };
const USER_ID = `0x${'07'.repeat(32)}`;
const SIBLING_USER = {
  parents: 1,
  interior: { X2: [{ Parachain: SIBLING }, { AccountId32: { network: null, id: USER_ID } }] },
};

let node;
let api;
let alice;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], 'xcm-dev');
  api = await connect(node.rpcPort);
  alice = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX }).addFromUri('//Alice');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const locationOf = (versionedAssetId) => versionedAssetId.toJSON().v5;

test('LVR pays for XCM at one planck per picosecond', async () => {
  const accepted = await api.call.xcmPaymentApi.queryAcceptablePaymentAssets(XCM_VERSION);
  assert.ok(accepted.isOk, accepted.toString());
  assert.deepEqual(accepted.asOk.map(locationOf), [{ parents: 0, interior: { here: null } }]);

  const fee = await api.call.xcmPaymentApi.queryWeightToAssetFee(
    { refTime: 1_000_000_000, proofSize: 65_536 }, { V5: HERE });
  assert.equal(fee.asOk.toBigInt(), 1_000_000_000n);
});

test('governance registers a sibling token, which then pays fees at its rate', async () => {
  const register = api.tx.assetRegistry.registerForeignAsset(
    { V5: SIB }, 'Sibling', 'SIB', 12, 1_000_000n, SIB_FEE_RATE);
  const { events } = await submit(api, api.tx.sudo.sudo(register), alice);
  const registered = events.find((e) => api.events.assetRegistry.ForeignAssetRegistered.is(e));
  assert.ok(registered, 'ForeignAssetRegistered');
  const assetId = registered.data.assetId.toNumber();
  progress(`SIB registered as asset ${assetId}`);
  const metadata = await api.query.assets.metadata(assetId);
  assert.equal(metadata.symbol.toUtf8(), 'SIB');

  const accepted = await api.call.xcmPaymentApi.queryAcceptablePaymentAssets(XCM_VERSION);
  assert.equal(accepted.asOk.length, 2);
  assert.deepEqual(locationOf(accepted.asOk[1]), {
    parents: 1, interior: { x1: [{ parachain: SIBLING }] },
  });
  const fee = await api.call.xcmPaymentApi.queryWeightToAssetFee(
    { refTime: 1_000_000_000, proofSize: 65_536 }, { V5: SIB });
  assert.equal(fee.asOk.toBigInt(), 100_000_000n);
  const weight = await api.call.xcmPaymentApi.queryXcmWeight({
    V5: [{ ClearOrigin: null }, { ClearOrigin: null }],
  });
  assert.equal(weight.asOk.refTime.toBigInt(), 2_000_000_000n);
});

test('a sibling user gets a derived account, and a dry run shows its transfer landing', async () => {
  const converted = await api.call.locationToAccountApi.convertLocation({ V5: SIBLING_USER });
  assert.ok(converted.isOk, converted.toString());
  const account = converted.asOk.toString();
  progress(`the sibling user's account on Lever is ${account}`);

  const amount = 5n * SIB_UNIT;
  const effects = await api.call.dryRunApi.dryRunXcm({ V5: SIB }, {
    V5: [
      { ReserveAssetDeposited: [{ id: SIB, fun: { Fungible: amount } }] },
      { ClearOrigin: null },
      { BuyExecution: { fees: { id: SIB, fun: { Fungible: amount } }, weightLimit: 'Unlimited' } },
      { DepositAsset: { assets: { Wild: { AllCounted: 1 } }, beneficiary: SIBLING_USER } },
    ],
  });
  assert.ok(effects.isOk, effects.toString());
  const { executionResult, emittedEvents } = effects.asOk;
  assert.ok(executionResult.isComplete, executionResult.toString());
  // Four instructions at 10^9 picoseconds each, paid at 0.1 SIB unit per planck.
  const fee = 4n * 100_000_000n;
  const deposits = emittedEvents
    .filter((e) => api.events.assets.Deposited.is(e))
    .map((e) => [e.data.who.toString(), e.data.amount.toBigInt()]);
  assert.deepEqual(deposits[0], [account, amount - fee]);
  assert.equal(deposits[1][1], fee);
  // A dry run changes nothing.
  const supply = await api.query.assets.asset(100);
  assert.equal(supply.unwrap().supply.toBigInt(), 0n);
});

test('a dry run of a send shows that Lever has no transport yet', async () => {
  const send = api.tx.polkadotXcm.send(
    { V5: { parents: 1, interior: { X1: [{ Parachain: SIBLING }] } } },
    { V5: [{ ClearOrigin: null }] },
  );
  const effects = await api.call.dryRunApi.dryRunCall(
    { system: { Signed: alice.address } }, send.method, XCM_VERSION);
  assert.ok(effects.isOk, effects.toString());
  const result = effects.asOk.executionResult;
  assert.ok(result.isErr, result.toString());
  const { section, name } = api.registry.findMetaError(result.asErr.error.asModule);
  assert.equal(`${section}.${name}`, 'polkadotXcm.Unreachable');
  assert.equal(effects.asOk.forwardedXcms.length, 0);
});
