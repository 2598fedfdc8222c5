// lvUSD's peg on a real dev node, driven by @polkadot/api from the metadata alone: Bob swaps USDC
// for lvUSD and back in the peg stability module (pallet-psm) and the books count what it issued;
// Alice puts lvUSD in the savings pot and watches it earn the savings rate out of the stability
// fees' surplus, block by block, then takes it out with interest.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, assetBalance, heads, progress, submit, waitFor, DOT, LVUSD, USDC,
  DOT_UNIT, LVUSD_UNIT, USDC_UNIT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;

/** The peg stability module's fee each way on the dev chain, in parts per million (0.1%). */
const PEG_FEE = 1_000;

before(async () => {
  chain = await startPricedDevChain('peg-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
});

after(async () => {
  await chain?.stop();
});

/** Waits for `count` new blocks. */
async function blocks(count) {
  const start = (await heads(api)).best;
  await waitFor(`block ${start + count}`, async () => (await heads(api)).best >= start + count,
    { timeoutMs: 60_000, intervalMs: 500 });
}

test('Bob swaps USDC for lvUSD and back at 0.1% each way, and the books count it', async () => {
  const module = (await api.query.psm.psm(LVUSD)).unwrap();
  const treasury = module.feeDestination.toString();
  const treasuryBefore = await assetBalance(api, LVUSD, { address: treasury });
  const usdcBefore = await assetBalance(api, USDC, bob);

  await submit(api, api.tx.psm.mint(LVUSD, USDC, 1_000n * USDC_UNIT, PEG_FEE), bob);
  assert.equal(await assetBalance(api, LVUSD, bob), 999n * LVUSD_UNIT);
  assert.equal(await assetBalance(api, LVUSD, { address: treasury }), treasuryBefore + LVUSD_UNIT);
  let books = await api.call.vaultsApi.system();
  assert.equal(books.reserveBacked.toBigInt(), 1_000n * LVUSD_UNIT);
  progress(`Bob swapped 1000 USDC for 999 lvUSD; reserve-backed lvUSD ${books.reserveBacked}`);

  await submit(api, api.tx.psm.redeem(LVUSD, USDC, 500n * LVUSD_UNIT, PEG_FEE), bob);
  // 0.5 lvUSD of fee; 499.5 lvUSD burned for 499.5 USDC.
  assert.equal(await assetBalance(api, USDC, bob), usdcBefore - 1_000n * USDC_UNIT + 499_500_000n);
  assert.equal(await assetBalance(api, LVUSD, bob), 499n * LVUSD_UNIT);
  books = await api.call.vaultsApi.system();
  assert.equal(books.reserveBacked.toBigInt(), 500_500_000_000_000n);
  await assert.rejects(
    submit(api, api.tx.psm.mint(LVUSD, USDC, 20_000_000n * USDC_UNIT, PEG_FEE), bob),
    /psm\.(ExceedsMaxPsmDebt|BalanceLow)|FundsUnavailable/);
});

test('Alice\'s savings earn the savings rate out of surplus, block by block', async () => {
  const rate = (await api.call.vaultsApi.system()).savingsRate.toBigInt();
  assert.equal(rate, 20_000_000_000_000_000n, 'the dev chain pays 2% a year');
  await submit(api, api.tx.vaults.open(DOT, 1_000n * DOT_UNIT), alice);
  await submit(api, api.tx.vaults.mint(DOT, 2_000n * LVUSD_UNIT), alice);
  await submit(api, api.tx.vaults.save(1_000n * LVUSD_UNIT), alice);
  const saved = await api.call.vaultsApi.savings(alice.address);
  assert.equal(saved.balance.toBigInt(), 1_000n * LVUSD_UNIT);

  // The genesis vault's and Alice's fees become surplus when a call touches the DOT type.
  await blocks(2);
  await submit(api, api.tx.vaults.deposit(DOT, DOT_UNIT), alice);
  const first = (await api.call.vaultsApi.savings(alice.address)).balance.toBigInt();
  await blocks(2);
  await submit(api, api.tx.vaults.deposit(DOT, DOT_UNIT), alice);
  const second = (await api.call.vaultsApi.savings(alice.address)).balance.toBigInt();
  progress(`Alice's 1000 lvUSD of savings: ${first}, then ${second} units`);
  assert.ok(first > 1_000n * LVUSD_UNIT, 'interest accrued');
  assert.ok(second > first, 'and keeps accruing');

  const before = await assetBalance(api, LVUSD, alice);
  const { events } = await submit(api, api.tx.vaults.withdrawSavings('All'), alice);
  assert.ok(events.some((event) => api.events.vaults.SavingsAccrued.is(event)));
  const withdrawn = (await assetBalance(api, LVUSD, alice)) - before;
  assert.ok(withdrawn >= second, `withdrew ${withdrawn}`);
  // 2% a year on 1,000 lvUSD for under a minute is well under a cent.
  assert.ok(withdrawn < 1_000n * LVUSD_UNIT + LVUSD_UNIT / 100n);
  assert.equal((await api.call.vaultsApi.savings(alice.address)).shares.toBigInt(), 0n);
});
