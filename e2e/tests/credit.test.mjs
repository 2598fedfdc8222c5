// The credit score on a real dev node, driven by @polkadot/api from the metadata alone: Bob
// borrows 1,000 USDC against 10 ETH, holds it past the dev chain's 30-second minimum loan age and
// repays it in full; the chain counts the loan (score 100), and his ETH collateral factor rises
// from 75% to 77% (the dev policy's first tier), adding $700 of borrow limit, which he uses.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, progress, submit, waitFor, ETH, USDC, ETH_UNIT, USDC_UNIT,
} from '../lib/node.mjs';

/** One US dollar as the runtime APIs' FixedU128 values carry it. */
const USD = 10n ** 18n;

let chain;
let api;
let bob;
let charlie;

before(async () => {
  chain = await startPricedDevChain('credit-dev');
  api = chain.api;
  bob = chain.keyring.addFromUri('//Bob');
  charlie = chain.keyring.addFromUri('//Charlie');
});

after(async () => {
  await chain?.stop();
});

/** Bob's borrow limit from the lending runtime API, in FixedU128 units. */
async function borrowLimit() {
  const position = await api.call.lendingApi.account(bob.address);
  return position.liquidity.asOk.borrowLimit.toBigInt();
}

test('repaying a loan raises the score and the collateral factor', async () => {
  const policy = await api.call.lendingApi.credit(bob.address);
  const minLoanAge = policy.minLoanAge.toNumber();
  assert.equal(policy.score.toNumber(), 0, 'Bob starts without a score');
  assert.ok(policy.record.isNone, 'and without a record');

  // Charlie lends USDC, and his ETH supply leaves the ETH market's seed.
  await submit(api, api.tx.lending.supply(USDC, 100_000n * USDC_UNIT), charlie);
  await submit(api, api.tx.lending.supply(ETH, ETH_UNIT), charlie);
  await submit(api, api.tx.lending.supply(ETH, 10n * ETH_UNIT), bob);
  assert.equal(await borrowLimit(), 26_250n * USD, '75% of 10 ETH at $3,500');
  await assert.rejects(submit(api, api.tx.lending.borrow(USDC, 26_900n * USDC_UNIT), bob),
    /lending\.InsufficientCollateral/);

  await submit(api, api.tx.lending.borrow(USDC, 1_000n * USDC_UNIT), bob);
  const borrowedAt = (await api.query.timestamp.now()).toNumber();
  progress(`Bob borrowed 1,000 USDC; holding it ${minLoanAge / 1000} s, the minimum loan age`);
  await waitFor('the minimum loan age to pass on chain', async () => {
    const now = (await api.query.timestamp.now()).toNumber();
    return now - borrowedAt >= minLoanAge;
  }, { timeoutMs: minLoanAge + 60_000, intervalMs: 2_000 });

  const { events } = await submit(api, api.tx.lending.repay(USDC, 'All'), bob);
  const counted = events.find((event) => api.events.lending.LoanRepaidInFull.is(event));
  assert.ok(counted, 'the repayment counted as a loan');
  assert.equal(counted.data.score.toNumber(), 100);
  progress('Bob repaid in full: LoanRepaidInFull, score 100');

  const credit = await api.call.lendingApi.credit(bob.address);
  assert.equal(credit.score.toNumber(), 100);
  assert.equal(credit.bonus.toNumber(), 20_000, 'two points of collateral factor (parts per million)');
  assert.equal(credit.proven.toBigInt(), 1_000n * USD);
  assert.equal(credit.record.unwrap().repaid.toNumber(), 1);

  assert.equal(await borrowLimit(), 26_950n * USD, '77% of $35,000: $700 more, under the $1,000 proven');
  await submit(api, api.tx.lending.borrow(USDC, 26_900n * USDC_UNIT), bob);
  progress('Bob borrowed 26,900 USDC, over his old $26,250 limit');
});
