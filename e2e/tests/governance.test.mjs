// Governance on a real dev node, driven by @polkadot/api from the metadata alone: the risk
// council (Alice, Bob and Charlie at genesis) freezes a market by motion at once and is refused a
// riskier change; a public referendum raises a market's supply cap, and the change applies only
// after the track's enactment delay (docs/GOVERNANCE.md).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, heads, waitFor, progress, DOT, USDC,
} from '../lib/node.mjs';
import {
  approvedAt as approval, moduleError, passMotion, submitReferendum,
} from '../lib/governance.mjs';

let chain;
let api;
let alice;
let bob;

before(async () => {
  chain = await startPricedDevChain('governance-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
});

after(async () => {
  await chain?.stop();
});

/** The market of `asset` as stored. */
async function market(asset) {
  return (await api.query.lending.markets(asset)).unwrap();
}

test('the risk council freezes a market at once', async () => {
  assert.equal((await market(DOT)).status.type, 'Active');
  const executed = await passMotion(api, api.tx.lending.setMarketStatus(DOT, 'Frozen'), [alice, bob]);
  assert.ok(executed.data.result.isOk, 'the freeze applied');
  assert.equal((await market(DOT)).status.type, 'Frozen');
  progress('DOT market frozen by a council motion of two of three members');
});

test('the risk council cannot raise a supply cap', async () => {
  const params = (await market(USDC)).params;
  const raised = { ...params.toJSON(), supplyCap: params.supplyCap.toBigInt() * 2n };
  const executed = await passMotion(api, api.tx.lending.setMarketParams(USDC, raised), [alice, bob]);
  assert.ok(executed.data.result.isErr, 'the motion was refused');
  assert.equal(moduleError(api, executed.data.result), 'lending.RiskIncreasing');
  assert.equal((await market(USDC)).params.supplyCap.toBigInt(), params.supplyCap.toBigInt());
});

test('a referendum raises a supply cap after its enactment delay', async () => {
  const periods = await api.query.trackPeriods.trackPeriods();
  const enactment = periods.enactment.toNumber();
  const before = (await market(USDC)).params;
  const cap = before.supplyCap.toBigInt() * 2n;
  const call = api.tx.lending.setMarketParams(USDC, { ...before.toJSON(), supplyCap: cap });
  const index = await submitReferendum(api, chain.keyring, call, alice);
  const approvedAt = await approval(api, index);
  progress(`approved at block ${approvedAt}; enactment no sooner than block ${approvedAt + enactment}`);
  const { best } = await heads(api);
  if (best < approvedAt + enactment) {
    assert.equal((await market(USDC)).params.supplyCap.toBigInt(), before.supplyCap.toBigInt(),
      'the cap waits for the enactment delay');
  }
  await waitFor('the raised cap applies', async () => (
    (await market(USDC)).params.supplyCap.toBigInt() === cap
  ), { timeoutMs: 180_000, intervalMs: 3_000 });
  const { best: appliedBy } = await heads(api);
  assert.ok(appliedBy >= approvedAt + enactment, `applied by block ${appliedBy}, not before ${approvedAt + enactment}`);
  progress(`the supply cap doubled, applied by block ${appliedBy}`);
});
