// A permissioned pool on a real dev node, driven by @polkadot/api from the metadata alone:
// governance (the dev chain's sudo key) creates a pool whose credential Alice issues and puts the
// ETH market in it; Bob, granted the credential, supplies and borrows there; Charlie, without
// one, is refused with the pool's typed error; Bob, revoked, can still repay and withdraw.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, assetBalance, progress, submit, DOT, ETH, DOT_UNIT, ETH_UNIT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;
let charlie;

before(async () => {
  chain = await startPricedDevChain('permissioned-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
  charlie = chain.keyring.addFromUri('//Charlie');
});

after(async () => {
  await chain?.stop();
});

/** Runs `call` as root through the sudo key and fails if the call itself failed. */
async function governance(call) {
  const { events } = await submit(api, api.tx.sudo.sudo(call), alice);
  const sudid = events.find((event) => api.events.sudo.Sudid.is(event));
  assert.ok(sudid?.data.sudoResult.isOk, `governance's call failed: ${sudid?.data.sudoResult}`);
  return events;
}

test('a member borrows from the pool, an outsider is refused, a revoked member exits', async () => {
  const pool = (await api.query.lending.nextPoolId()).toNumber();
  await governance(api.tx.utility.batchAll([
    api.tx.lending.createPool(alice.address),
    api.tx.lending.setMarketPool(ETH, pool),
  ]));
  const market = (await api.call.lendingApi.markets()).find((m) => m.asset.toNumber() === ETH);
  assert.equal(market.pool.unwrap().toNumber(), pool, 'the runtime API shows the ETH market in the pool');
  progress(`pool ${pool} created; the ETH market is in it`);

  const { events } = await submit(api, api.tx.lending.grantCredential(pool, bob.address), alice);
  assert.ok(events.some((event) => api.events.lending.CredentialGranted.is(event)));
  await submit(api, api.tx.lending.grantCredential(pool, alice.address), alice);
  const memberships = await api.call.lendingApi.memberships(bob.address);
  assert.deepEqual(memberships.map((id) => id.toNumber()), [pool]);

  // Alice lends 50 ETH in the pool; Bob borrows 1 ETH against 1,000 DOT in the public market.
  await submit(api, api.tx.lending.supply(ETH, 50n * ETH_UNIT), alice);
  await submit(api, api.tx.lending.supply(DOT, 1_000n * DOT_UNIT), bob);
  const ethBefore = await assetBalance(api, ETH, bob);
  await submit(api, api.tx.lending.borrow(ETH, ETH_UNIT), bob);
  assert.equal(await assetBalance(api, ETH, bob), ethBefore + ETH_UNIT);
  progress('Bob, a member, borrowed 1 ETH from the pool');

  // Charlie has no credential: every way in is refused with the pool's error.
  await assert.rejects(submit(api, api.tx.lending.supply(ETH, ETH_UNIT), charlie),
    /lending\.NotMember/);
  await submit(api, api.tx.lending.supply(DOT, 1_000n * DOT_UNIT), charlie);
  await assert.rejects(submit(api, api.tx.lending.borrow(ETH, ETH_UNIT / 10n), charlie),
    /lending\.NotMember/);
  progress('Charlie, without the credential, was refused with lending.NotMember');

  // Revoked, Bob cannot borrow more, but repays and withdraws everything.
  await submit(api, api.tx.lending.revokeCredential(pool, bob.address), alice);
  await assert.rejects(submit(api, api.tx.lending.borrow(ETH, ETH_UNIT / 10n), bob),
    /lending\.NotMember/);
  await submit(api, api.tx.lending.repay(ETH, 'All'), bob);
  await submit(api, api.tx.lending.withdraw(DOT, 'All'), bob);
  const position = await api.call.lendingApi.account(bob.address);
  assert.equal(position.markets.length, 0, 'Bob is out of every market');
  progress('Bob, revoked, repaid and withdrew everything');
});
