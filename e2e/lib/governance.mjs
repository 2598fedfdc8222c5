// Governance helpers for the end-to-end tests: a risk council motion passed by two members, a
// public referendum submitted, voted by every dev account and waited for until approved, and a
// dispatch error read as `section.Name`.

import assert from 'node:assert/strict';
import { submit, waitFor, progress } from './node.mjs';

/** The dev accounts, every one endowed with 1,000,000 LVR at genesis. */
export const DEV_URIS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].flatMap((name) => [
  `//${name}`, `//${name}//stash`,
]);

const UNIT = 10n ** 12n;

/**
 * The first of `members` proposes `call` to the risk council with a threshold of
 * `members.length`, every one of them votes aye and the first closes the motion; returns the
 * motion's `Executed` event.
 */
export async function passMotion(api, call, members) {
  const [proposer] = members;
  const length = call.method.encodedLength;
  const { events: proposed } = await submit(
    api, api.tx.riskCouncil.propose(members.length, call, length), proposer,
  );
  const { proposalIndex, proposalHash } = proposed.find((e) => api.events.riskCouncil.Proposed.is(e)).data;
  // Proposing is not voting: the proposer votes too.
  for (const member of members) {
    await submit(api, api.tx.riskCouncil.vote(proposalHash, proposalIndex, true), member);
  }
  const weight = (await api.call.transactionPaymentCallApi.queryCallInfo(call.method, length)).weight;
  const { events } = await submit(
    api, api.tx.riskCouncil.close(proposalHash, proposalIndex, weight, length), proposer,
  );
  const executed = events.find((e) => api.events.riskCouncil.Executed.is(e));
  assert.ok(executed, 'the motion was executed');
  return executed;
}

/**
 * Submits `call` as a root referendum (its preimage noted first), places the decision deposit
 * and has every dev account vote aye with 900,000 LVR at 1x conviction, all in one block (voted
 * one by one, the referendum passes before the last votes and refuses them). Returns the
 * referendum's index. `keyring` holds the dev accounts; `proposer` submits.
 */
export async function submitReferendum(api, keyring, call, proposer) {
  await submit(api, api.tx.preimage.notePreimage(call.method.toHex()), proposer);
  const proposal = { Lookup: { hash: call.method.hash, len: call.method.encodedLength } };
  const { events } = await submit(
    api, api.tx.referenda.submit({ system: 'Root' }, proposal, { After: 0 }), proposer,
  );
  const index = events.find((e) => api.events.referenda.Submitted.is(e)).data.index.toNumber();
  await submit(api, api.tx.referenda.placeDecisionDeposit(index), proposer);
  const vote = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * UNIT } };
  await Promise.all(DEV_URIS.map((uri) => submit(
    api, api.tx.convictionVoting.vote(index, vote), keyring.addFromUri(uri),
  )));
  progress(`referendum ${index} (${call.method.section}.${call.method.method}) submitted and voted by ${DEV_URIS.length} accounts`);
  return index;
}

/** Waits until referendum `index` is approved; returns the block it was approved in. */
export async function approvedAt(api, index) {
  return waitFor(`referendum ${index} approved`, async () => {
    const info = await api.query.referenda.referendumInfoFor(index);
    return info.isSome && info.unwrap().isApproved ? info.unwrap().asApproved[0].toNumber() : null;
  }, { timeoutMs: 300_000, intervalMs: 3_000 });
}

/** A dispatch result's module error, as `section.Name`. */
export function moduleError(api, result) {
  const { section, name } = api.registry.findMetaError(result.asErr.asModule);
  return `${section}.${name}`;
}
