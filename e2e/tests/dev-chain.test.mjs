// The dev chain as a user sees it: the real lever-node binary in --dev mode, driven by @polkadot/api
// with nothing but the chain's metadata.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  startNode, connect, heads, waitFor, submit, progress, PRICED_ASSETS, DOT, DOT_UNIT,
} from '../lib/node.mjs';

const LVR = 10n ** 12n;
const SS58_PREFIX = 7013;

let node;
let api;
let alice;
let bob;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], 'dev');
  api = await connect(node.rpcPort);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('the dev chain produces and finalizes blocks', async () => {
  const reached = await waitFor('block 3 and a finalized block 2', async () => {
    const h = await heads(api);
    return h.best >= 3 && h.finalized >= 2 ? h : null;
  });
  progress(`best #${reached.best}, finalized #${reached.finalized}`);
});

test('chain properties: LVR with 12 decimals and the Lever SS58 prefix', async () => {
  const properties = await api.rpc.system.properties();
  assert.deepEqual(properties.tokenSymbol.unwrap().map(String), ['LVR']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
  assert.equal(properties.ss58Format.unwrap().toNumber(), SS58_PREFIX);
  assert.equal(api.consts.system.ss58Prefix.toNumber(), SS58_PREFIX);
  assert.equal(api.registry.chainSS58, SS58_PREFIX);
  assert.equal((await api.rpc.system.chain()).toString(), 'Lever Development');
  assert.equal(api.runtimeVersion.specName.toString(), 'lever');
});

test('the test assets are listed with their names, symbols and decimals, minted to dev accounts', async () => {
  for (const asset of PRICED_ASSETS) {
    const metadata = await api.query.assets.metadata(asset.id);
    assert.equal(metadata.name.toUtf8(), asset.name);
    assert.equal(metadata.symbol.toUtf8(), asset.symbol);
    assert.equal(metadata.decimals.toNumber(), asset.decimals);
    const details = (await api.query.assets.asset(asset.id)).unwrap();
    assert.ok(details.supply.toBigInt() > 0n, `${asset.symbol} has supply`);
    const account = (await api.query.assets.account(asset.id, bob.address)).unwrap();
    assert.ok(account.balance.toBigInt() > 0n, `Bob holds ${asset.symbol}`);
  }
});

test('a balances transfer signed by //Alice moves exactly the amount and charges the fee', async () => {
  const amount = 3n * LVR + 123n;
  const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();
  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

  const { blockHash, events } = await submit(
    api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);

  const transfer = events.find((e) => api.events.balances.Transfer.is(e));
  assert.ok(transfer, 'a balances.Transfer event');
  assert.equal(transfer.data.from.toString(), alice.address);
  assert.equal(transfer.data.to.toString(), bob.address);
  assert.equal(transfer.data.amount.toBigInt(), amount);
  assert.ok(events.some((e) => api.events.system.ExtrinsicSuccess.is(e)), 'ExtrinsicSuccess');
  const feePaid = events.find((e) => api.events.transactionPayment.TransactionFeePaid.is(e));
  assert.ok(feePaid, 'a TransactionFeePaid event');
  const fee = feePaid.data.actualFee.toBigInt() + feePaid.data.tip.toBigInt();
  assert.ok(fee > 0n, 'a fee is charged');

  const at = await api.at(blockHash);
  const aliceAfter = (await at.query.system.account(alice.address)).data.free.toBigInt();
  const bobAfter = (await at.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(bobAfter - bobBefore, amount);
  assert.equal(aliceBefore - aliceAfter, amount + fee);
});

test('an assets transfer signed by //Alice moves DOT to Bob', async () => {
  const amount = 25n * DOT_UNIT;
  const balanceOf = async (query, who) => (await query.assets.account(DOT, who)).unwrap().balance.toBigInt();
  const aliceBefore = await balanceOf(api.query, alice.address);
  const bobBefore = await balanceOf(api.query, bob.address);

  const { blockHash, events } = await submit(
    api, api.tx.assets.transferKeepAlive(DOT, bob.address, amount), alice);

  const transferred = events.find((e) => api.events.assets.Transferred.is(e));
  assert.ok(transferred, 'an assets.Transferred event');
  assert.equal(transferred.data.assetId.toNumber(), DOT);
  assert.equal(transferred.data.from.toString(), alice.address);
  assert.equal(transferred.data.to.toString(), bob.address);
  assert.equal(transferred.data.amount.toBigInt(), amount);

  const at = await api.at(blockHash);
  assert.equal(aliceBefore - await balanceOf(at.query, alice.address), amount);
  assert.equal(await balanceOf(at.query, bob.address) - bobBefore, amount);
});
