// The lending pools on a real dev node with real oracle prices, driven by @polkadot/api from the
// metadata alone: Bob supplies USDC, Alice supplies DOT as collateral and borrows USDC, interest
// accrues block by block (read through the lending runtime API), and Alice repays and withdraws
// everything.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, assetBalance, heads, waitFor, progress, submit, DOT, USDC, DOT_UNIT,
  USDC_UNIT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;

before(async () => {
  chain = await startPricedDevChain('lending-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
});

after(async () => {
  await chain?.stop();
});

/** The account's position in one market from the lending runtime API, as bigints. */
async function position(who, asset) {
  const account = await api.call.lendingApi.account(who.address);
  const market = account.markets.find((entry) => entry.asset.toNumber() === asset);
  return market
    ? { supplied: market.supplied.toBigInt(), borrowed: market.borrowed.toBigInt(), collateral: market.collateral.isTrue }
    : null;
}

/** The market of `asset` from the lending runtime API. */
async function market(asset) {
  const markets = await api.call.lendingApi.markets();
  return markets.find((entry) => entry.asset.toNumber() === asset);
}

test('the dev chain opens a market for every test asset', async () => {
  const markets = await api.call.lendingApi.markets();
  assert.deepEqual(markets.map((entry) => entry.asset.toNumber()).sort(), [1, 2, 3, 4]);
  const usdc = await market(USDC);
  assert.equal(usdc.status.toString(), 'Active');
  assert.equal(usdc.decimals.toNumber(), 6);
});

test('Bob supplies USDC; Alice supplies DOT as collateral and borrows USDC', async () => {
  await submit(api, api.tx.lending.supply(USDC, 10_000n * USDC_UNIT), bob);
  const { events } = await submit(api, api.tx.lending.supply(DOT, 1_000n * DOT_UNIT), alice);
  assert.ok(events.some((event) => api.events.lending.Supplied.is(event)), 'Supplied event');
  const dot = await position(alice, DOT);
  assert.ok(dot.collateral, 'a new DOT supply is collateral');
  progress(`Alice supplies ${dot.supplied} DOT units as collateral`);

  const usdcBefore = await assetBalance(api, USDC, alice);
  await submit(api, api.tx.lending.borrow(USDC, 2_000n * USDC_UNIT), alice);
  assert.equal(await assetBalance(api, USDC, alice), usdcBefore + 2_000n * USDC_UNIT);
  const account = await api.call.lendingApi.account(alice.address);
  assert.ok(account.liquidity.isOk, 'valued at fresh prices');
  const healthFactor = Number(account.healthFactor.unwrap().toBigInt()) / 1e18;
  // 1000 DOT at $7.50 × 75% threshold over $2000 of debt is 2.81.
  progress(`Alice's health factor after borrowing: ${healthFactor}`);
  assert.ok(healthFactor > 2.7 && healthFactor < 2.9, `health factor ${healthFactor}`);
});

test('interest accrues block by block, read through the runtime API', async () => {
  const first = await position(alice, USDC);
  const { best: start } = await heads(api);
  await waitFor('three more blocks', async () => (await heads(api)).best >= start + 3, { timeoutMs: 60_000 });
  const later = await position(alice, USDC);
  progress(`Alice's USDC debt: ${first.borrowed} at #${start}, ${later.borrowed} three blocks later`);
  assert.ok(later.borrowed > first.borrowed, 'the debt grows');
  const usdc = await market(USDC);
  const utilization = Number(usdc.utilization.toBigInt()) / 1e18;
  const borrowApy = Number(usdc.borrowApy.toBigInt()) / 1e18;
  const supplyApy = Number(usdc.supplyApy.toBigInt()) / 1e18;
  progress(`USDC utilization ${utilization}, borrow APY ${borrowApy}, supply APY ${supplyApy}`);
  assert.ok(Math.abs(utilization - 0.2) < 1e-3, 'about 20% of the USDC is lent');
  assert.ok(borrowApy > 0 && supplyApy > 0 && supplyApy < borrowApy);
  assert.ok((await position(bob, USDC)).supplied > 10_000n * USDC_UNIT - 1n, "Bob's supply earns");
});

test('Alice repays everything and withdraws everything', async () => {
  const usdcBefore = await assetBalance(api, USDC, alice);
  const dotBefore = await assetBalance(api, DOT, alice);
  const { events } = await submit(api, api.tx.lending.repay(USDC, 'All'), alice);
  const repaid = events.find((event) => api.events.lending.Repaid.is(event));
  const paid = repaid.data.amount.toBigInt();
  progress(`Alice repaid ${paid} USDC units for a 2000 USDC loan`);
  assert.ok(paid > 2_000n * USDC_UNIT, 'interest was paid');
  assert.equal(await assetBalance(api, USDC, alice), usdcBefore - paid);
  assert.equal(await position(alice, USDC), null);

  const supplied = (await position(alice, DOT)).supplied;
  await submit(api, api.tx.lending.withdraw(DOT, 'All'), alice);
  assert.equal(await assetBalance(api, DOT, alice), dotBefore + supplied);
  const account = await api.call.lendingApi.account(alice.address);
  assert.equal(account.markets.length, 0, 'Alice has no position left');
});
