// One-click leverage on a real dev node with real oracle prices and the genesis AMM pools,
// driven by @polkadot/api from the metadata alone: Alice previews and opens 3x DOT in one
// transaction, the price server drops DOT 10% (and Bob arbitrages the pool to the new price),
// and Alice previews and unwinds everything in one transaction.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, assetBalance, oraclePrices, progress, submit, waitFor, DOT, USDC, DOT_UNIT,
  USDC_UNIT, LVUSD_UNIT, FIXED_ONE, ONE_PERCENT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;
let preview;

before(async () => {
  chain = await startPricedDevChain('leverage-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
});

after(async () => {
  await chain?.stop();
});

/** A FixedU128 from the API as a JS number. */
function toNumber(fixed) {
  return Number(fixed.toBigInt()) / 1e18;
}

/** Alice's health factor from the lending runtime API, or null without debt. */
async function healthFactor() {
  const account = await api.call.lendingApi.account(alice.address);
  return account.healthFactor.isSome ? toNumber(account.healthFactor.unwrap()) : null;
}

/** `actual` is within `tolerance` (relative) of `expected`. */
function assertNear(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

test('the dev genesis has a DOT/USDC pool at the reference price', async () => {
  const reserves = await api.call.assetConversionApi.getReserves({ WithId: DOT }, { WithId: USDC });
  const [dot, usdc] = reserves.unwrap().map((value) => value.toBigInt());
  progress(`DOT/USDC pool: ${dot / DOT_UNIT} DOT and ${usdc / USDC_UNIT} USDC`);
  assert.equal(Number(usdc * DOT_UNIT / USDC_UNIT) / Number(dot), 7.5);
});

test('Alice levers DOT to 3x in one transaction and her health matches the preview', async () => {
  // Bob lends the DOT the flash loan takes and the USDC Alice borrows.
  await submit(api, api.tx.lending.supply(DOT, 10_000n * DOT_UNIT), bob);
  await submit(api, api.tx.lending.supply(USDC, 100_000n * USDC_UNIT), bob);

  const target = { Leverage: 3n * FIXED_ONE };
  const result = await api.call.leverageApi.previewLeverUp(
    alice.address, DOT, USDC, 1_000n * DOT_UNIT, target, ONE_PERCENT);
  assert.ok(result.isOk, `the preview runs: ${result.toString()}`);
  preview = result.asOk;
  const previewHealth = toNumber(preview.position.healthFactor.unwrap());
  progress(`preview: supply ${preview.outcome.supplied} DOT units, borrow `
    + `${preview.outcome.borrowed} USDC units, price impact ${preview.outcome.priceImpact.toNumber() / 1e4}%, `
    + `health ${previewHealth}, leverage ${toNumber(preview.position.leverage.unwrap())}, `
    + `liquidated below $${toNumber(preview.position.liquidationPrice.unwrap())}`);
  assert.equal(preview.position.collateral.toBigInt(), 3_000n * DOT_UNIT);

  const dotBefore = await assetBalance(api, DOT, alice);
  const { events } = await submit(api, api.tx.leverage.leverUp(
    DOT, USDC, 1_000n * DOT_UNIT, target, ONE_PERCENT, 105n * FIXED_ONE / 100n), alice);
  const levered = events.find((event) => api.events.leverage.LeveredUp.is(event));
  assert.ok(levered, 'LeveredUp event');
  assert.equal(await assetBalance(api, DOT, alice), dotBefore - 1_000n * DOT_UNIT);

  const account = await api.call.lendingApi.account(alice.address);
  const dot = account.markets.find((entry) => entry.asset.toNumber() === DOT);
  const usdc = account.markets.find((entry) => entry.asset.toNumber() === USDC);
  assert.equal(dot.supplied.toBigInt(), 3_000n * DOT_UNIT);
  // The same pool and prices: the same debt, but for interest of a block or two.
  assertNear(Number(usdc.borrowed.toBigInt()), Number(preview.position.debt.toBigInt()), 1e-6, 'debt');
  const health = await healthFactor();
  progress(`Alice's health factor: ${health} (previewed ${previewHealth})`);
  assertNear(health, previewHealth, 1e-6, 'health factor');
  const leverage = 22_500 / (22_500 - Number(usdc.borrowed.toBigInt()) / 1e6);
  assert.ok(leverage >= 3 && leverage < 3.05, `leverage ${leverage}`);
});

test('DOT drops 10% and Alice unwinds fully in one transaction', async () => {
  await chain.server.switchTo('dot-dip');
  await waitFor('the oracle to price DOT 10% lower', async () => {
    const dot = (await oraclePrices(api)).get(DOT);
    return dot.fresh && dot.value <= 6.76;
  }, { timeoutMs: 120_000 });
  const dotPrice = (await oraclePrices(api)).get(DOT).value;
  const health = await healthFactor();
  progress(`DOT at $${dotPrice}: Alice's health factor is ${health}`);
  assert.ok(health > 1 && health < 1.02, `health factor ${health}`);

  // Bob arbitrages the pool down to the oracle price, as the market would.
  const reserves = await api.call.assetConversionApi.getReserves({ WithId: DOT }, { WithId: USDC });
  const [dotReserve, usdcReserve] = reserves.unwrap().map((value) => Number(value.toBigInt()));
  const product = (dotReserve / 1e10) * (usdcReserve / 1e6);
  const dotToSell = BigInt(Math.floor((Math.sqrt(product / dotPrice) - dotReserve / 1e10) / 0.997 * 1e10));
  await submit(api, api.tx.assetConversion.swapExactTokensForTokens(
    [{ WithId: DOT }, { WithId: USDC }], dotToSell, 1, bob.address, false), bob);
  progress(`Bob sold ${dotToSell / DOT_UNIT} DOT into the pool`);

  const result = await api.call.leverageApi.previewLeverDown(alice.address, DOT, USDC, 'All', ONE_PERCENT);
  assert.ok(result.isOk, `the preview runs: ${result.toString()}`);
  const unwind = result.asOk;
  progress(`preview: repay ${unwind.outcome.repaid} USDC units, sell ${unwind.outcome.sold} DOT units, `
    + `return ${unwind.outcome.returned} DOT units, price impact ${unwind.outcome.priceImpact.toNumber() / 1e4}%`);

  const dotBefore = await assetBalance(api, DOT, alice);
  const { events } = await submit(api, api.tx.leverage.leverDown(
    DOT, USDC, 'All', ONE_PERCENT, FIXED_ONE), alice);
  const leveredDown = events.find((event) => api.events.leverage.LeveredDown.is(event));
  assert.ok(leveredDown, 'LeveredDown event');

  const account = await api.call.lendingApi.account(alice.address);
  assert.equal(account.markets.length, 0, 'no supply and no debt left');
  const returned = (await assetBalance(api, DOT, alice)) - dotBefore;
  assert.equal(returned, leveredDown.data.returned.toBigInt());
  assertNear(Number(returned), Number(unwind.outcome.returned.toBigInt()), 1e-4, 'returned DOT');
  // Her equity at the new price, less the round trip's pool and flash fees (about 1.5% of the
  // $15,000 she borrowed), comes back in DOT.
  const equity = 3_000 * dotPrice - Number(unwind.outcome.repaid.toBigInt()) / 1e6;
  const returnedValue = Number(returned) / 1e10 * dotPrice;
  progress(`Alice gets ${Number(returned) / 1e10} DOT ($${returnedValue.toFixed(2)}) of $${equity.toFixed(2)} equity`);
  assert.ok(returnedValue < equity && returnedValue > equity - 150, `returned $${returnedValue}`);
});

test('a DOT vault is expanded and shrunk, each in one transaction, as previewed', async () => {
  await chain.server.switchTo('steady');
  await waitFor('the oracle to price DOT at $7.50 again', async () => {
    const dot = (await oraclePrices(api)).get(DOT);
    return dot.fresh && dot.value >= 7.49;
  }, { timeoutMs: 120_000 });

  const target = { Leverage: 5n * FIXED_ONE / 2n };
  const slippage = 3 * ONE_PERCENT;
  const result = await api.call.leverageApi.previewExpand(alice.address, DOT, 1_000n * DOT_UNIT, target, slippage);
  assert.ok(result.isOk, `the preview runs: ${result.toString()}`);
  const preview = result.asOk;
  progress(`preview: deposit ${preview.outcome.deposited} DOT units, mint ${preview.outcome.minted} lvUSD units, `
    + `ratio ${toNumber(preview.vault.collateralRatio.unwrap())}, leverage ${toNumber(preview.vault.leverage.unwrap())}`);

  const { events } = await submit(api, api.tx.leverage.expand(
    DOT, 1_000n * DOT_UNIT, target, slippage, 155n * FIXED_ONE / 100n), alice);
  assert.ok(events.some((event) => api.events.leverage.VaultExpanded.is(event)), 'VaultExpanded event');
  const [vault] = (await api.call.vaultsApi.vaults(alice.address)).filter((entry) => entry.asset.toNumber() === DOT);
  assert.equal(vault.collateral.toBigInt(), 2_500n * DOT_UNIT);
  assertNear(Number(vault.debt.toBigInt()), Number(preview.vault.debt.toBigInt()), 1e-6, 'vault debt');
  const ratio = toNumber(vault.collateralRatio.unwrap());
  progress(`Alice's vault: ${vault.collateral} DOT units against ${vault.debt} lvUSD units, ratio ${ratio}`);
  assertNear(ratio, toNumber(preview.vault.collateralRatio.unwrap()), 1e-6, 'collateral ratio');
  assert.ok(vault.debt.toBigInt() > 11_000n * LVUSD_UNIT);

  const shrinkPreview = await api.call.leverageApi.previewShrink(alice.address, DOT, 'All', slippage);
  assert.ok(shrinkPreview.isOk, `the preview runs: ${shrinkPreview.toString()}`);
  const dotBefore = await assetBalance(api, DOT, alice);
  const shrunk = await submit(api, api.tx.leverage.shrink(DOT, 'All', slippage, FIXED_ONE), alice);
  const event = shrunk.events.find((entry) => api.events.leverage.VaultShrunk.is(entry));
  assert.ok(event, 'VaultShrunk event');
  const returned = (await assetBalance(api, DOT, alice)) - dotBefore;
  progress(`the vault is closed; Alice gets ${Number(returned) / 1e10} DOT back`);
  assert.equal(returned, event.data.returned.toBigInt());
  assertNear(Number(returned), Number(shrinkPreview.asOk.outcome.returned.toBigInt()), 1e-4, 'returned DOT');
  assert.ok(returned > 960n * DOT_UNIT && returned < 1_000n * DOT_UNIT);
  const left = (await api.call.vaultsApi.vaults(alice.address)).filter((entry) => entry.asset.toNumber() === DOT);
  assert.equal(left.length, 0, 'no vault left');
});
