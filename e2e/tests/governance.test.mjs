// Governance on a real dev node, driven by @polkadot/api from the metadata alone: the risk
// council (Alice, Bob and Charlie at genesis) freezes a market by motion at once and is refused a
// riskier change; a public referendum raises a market's supply cap, and the change applies only
// after the track's enactment delay (docs/GOVERNANCE.md).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, heads, waitFor, progress, submit, DOT, USDC,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;

/** The dev accounts, every one endowed with 1,000,000 LVR at genesis. */
const DEV_URIS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].flatMap((name) => [
  `//${name}`, `//${name}//stash`,
]);
const UNIT = 10n ** 12n;

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

/**
 * Alice proposes `call` to the risk council with a threshold of two, Alice and Bob vote aye and
 * Alice closes the motion; returns the motion's `Executed` event.
 */
async function passMotion(call) {
  const length = call.method.encodedLength;
  const { events: proposed } = await submit(api, api.tx.riskCouncil.propose(2, call, length), alice);
  const event = proposed.find((e) => api.events.riskCouncil.Proposed.is(e));
  const { proposalIndex, proposalHash } = event.data;
  // Proposing is not voting: the proposer votes too.
  for (const member of [alice, bob]) {
    await submit(api, api.tx.riskCouncil.vote(proposalHash, proposalIndex, true), member);
  }
  const weight = (await api.call.transactionPaymentCallApi.queryCallInfo(call.method, length)).weight;
  const { events } = await submit(
    api, api.tx.riskCouncil.close(proposalHash, proposalIndex, weight, length), alice,
  );
  const executed = events.find((e) => api.events.riskCouncil.Executed.is(e));
  assert.ok(executed, 'the motion was executed');
  return executed;
}

/** A module error of a dispatch result, as `section.Name`. */
function moduleError(result) {
  const { section, name } = api.registry.findMetaError(result.asErr.asModule);
  return `${section}.${name}`;
}

test('the risk council freezes a market at once', async () => {
  assert.equal((await market(DOT)).status.type, 'Active');
  const executed = await passMotion(api.tx.lending.setMarketStatus(DOT, 'Frozen'));
  assert.ok(executed.data.result.isOk, 'the freeze applied');
  assert.equal((await market(DOT)).status.type, 'Frozen');
  progress('DOT market frozen by a council motion of two of three members');
});

test('the risk council cannot raise a supply cap', async () => {
  const params = (await market(USDC)).params;
  const raised = { ...params.toJSON(), supplyCap: params.supplyCap.toBigInt() * 2n };
  const executed = await passMotion(api.tx.lending.setMarketParams(USDC, raised));
  assert.ok(executed.data.result.isErr, 'the motion was refused');
  assert.equal(moduleError(executed.data.result), 'lending.RiskIncreasing');
  assert.equal((await market(USDC)).params.supplyCap.toBigInt(), params.supplyCap.toBigInt());
});

test('a referendum raises a supply cap after its enactment delay', async () => {
  const periods = await api.query.trackPeriods.trackPeriods();
  const enactment = periods.enactment.toNumber();
  const before = (await market(USDC)).params;
  const cap = before.supplyCap.toBigInt() * 2n;
  const call = api.tx.lending.setMarketParams(USDC, { ...before.toJSON(), supplyCap: cap });
  const encoded = call.method.toHex();
  await submit(api, api.tx.preimage.notePreimage(encoded), alice);
  const proposal = { Lookup: { hash: call.method.hash, len: call.method.encodedLength } };
  const { events } = await submit(
    api, api.tx.referenda.submit({ system: 'Root' }, proposal, { After: 0 }), alice,
  );
  const index = events.find((e) => api.events.referenda.Submitted.is(e)).data.index;
  await submit(api, api.tx.referenda.placeDecisionDeposit(index), bob);
  const vote = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * UNIT } };
  // All at once: voted one by one, the referendum passes before the last votes and refuses them.
  await Promise.all(DEV_URIS.map((uri) => submit(
    api, api.tx.convictionVoting.vote(index, vote), chain.keyring.addFromUri(uri),
  )));
  progress(`referendum ${index} submitted and voted by ${DEV_URIS.length} accounts`);

  const approvedAt = await waitFor('the referendum is approved', async () => {
    const info = await api.query.referenda.referendumInfoFor(index);
    return info.isSome && info.unwrap().isApproved ? info.unwrap().asApproved[0].toNumber() : null;
  }, { timeoutMs: 300_000, intervalMs: 3_000 });
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
