// The stress test on a real dev node, read by @polkadot/api from the metadata alone
// (api.call.riskApi.stress): Alice's DOT vault (1,000 DOT against 4,500 lvUSD, 167% at $7.50)
// and Dave's DOT-backed loan (1,000 DOT against 4,800 USDC, liquidatable below $6.40) are listed
// when DOT is shocked 20% down, not when it is shocked 5% down; a 60% fall leaves bad debt in
// lvUSD and in the USDC market; a shock of an unpriced asset fails with its error's name. The
// summary (api.call.riskApi.system) adds up to the markets', vaults' and backstops' own figures,
// and what it puts at risk is what the stress test of a 10% fall lists.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, progress, submit, DOT, USDC, DOT_UNIT, USDC_UNIT, LVUSD_UNIT,
} from '../lib/node.mjs';

/** One US dollar as the runtime APIs' FixedU128 values carry it. */
const USD = 10n ** 18n;

let chain;
let api;
let alice;
let charlie;
let dave;
/** The block at which Alice's vault and Dave's loan are open. */
let populated;

before(async () => {
  chain = await startPricedDevChain('risk-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  charlie = chain.keyring.addFromUri('//Charlie');
  dave = chain.keyring.addFromUri('//Dave');
});

after(async () => {
  await chain?.stop();
});

/** The stress test of DOT falling `percent` percent, at block `at`. */
async function stressDot(percent, at) {
  const call = (await api.at(at)).call;
  const result = await call.riskApi.stress([{ asset: DOT, fall: percent * 10_000 }], 100);
  assert.ok(result.isOk, `stress test failed: ${result.toString()}`);
  return result.asOk;
}

test('the stress test lists what a fall makes liquidatable, with its bad debt', async () => {
  await submit(api, api.tx.vaults.open(DOT, 1_000n * DOT_UNIT), alice);
  await submit(api, api.tx.vaults.mint(DOT, 4_500n * LVUSD_UNIT), alice);
  await submit(api, api.tx.lending.supply(USDC, 100_000n * USDC_UNIT), charlie);
  await submit(api, api.tx.lending.supply(DOT, 1_000n * DOT_UNIT), dave);
  const { blockHash } = await submit(api, api.tx.lending.borrow(USDC, 4_800n * USDC_UNIT), dave);
  progress('Alice owes 4,500 lvUSD on 1,000 DOT and Dave 4,800 USDC on 1,000 DOT');
  populated = blockHash;

  const mild = await stressDot(5, blockHash);
  assert.equal(mild.liquidatableVaults.toNumber(), 0, 'DOT 5% down leaves every vault safe');
  assert.equal(mild.liquidatableAccounts.toNumber(), 0, 'and every account');

  const fall = await stressDot(20, blockHash);
  const dotPrice = fall.prices[0][1].toBigInt();
  progress(`DOT shocked 20% down to $${Number(dotPrice) / 1e18}`);
  assert.equal(fall.liquidatableVaults.toNumber(), 1, 'Alice\'s vault is liquidatable');
  const vault = fall.vaults[0];
  assert.ok(vault.owner.eq(alice.publicKey), `owner ${vault.owner}`);
  assert.equal(vault.collateral.toBigInt(), 1_000n * DOT_UNIT);
  const debt = vault.debt.toBigInt();
  assert.ok(debt >= 4_500n * LVUSD_UNIT && debt < 4_501n * LVUSD_UNIT, `debt ${debt}`);
  // 1,000 DOT at the shocked price, in lvUSD's smallest unit (12 decimals).
  assert.equal(vault.value.toBigInt(), (1_000n * dotPrice) / 10n ** 6n);
  assert.equal(fall.lvusdBadDebt.toBigInt(), 0n);
  assert.equal(fall.vaultTypes.length, 1);
  assert.equal(fall.vaultTypes[0].asset.toNumber(), DOT);

  assert.equal(fall.liquidatableAccounts.toNumber(), 1, 'Dave\'s account is liquidatable');
  const account = fall.accounts[0];
  assert.ok(account.who.eq(dave.publicKey), `account ${account.who}`);
  const debtValue = account.debtValue.toBigInt();
  assert.ok(debtValue >= 4_800n * USD && debtValue < 4_801n * USD, `debt value ${debtValue}`);
  assert.ok(account.healthFactor.unwrap().toBigInt() < USD, 'a health factor below one');
  const [market] = fall.markets;
  assert.equal(market.asset.toNumber(), USDC);
  assert.equal(market.accounts.toNumber(), 1);
  assert.equal(market.badDebt.toBigInt(), 0n);

  // 60% down: 1,000 DOT are worth less than either debt.
  const crash = await stressDot(60, blockHash);
  const crashPrice = crash.prices[0][1].toBigInt();
  const worth = (1_000n * crashPrice) / USD;
  progress(`DOT shocked 60% down: 1,000 DOT worth $${worth}`);
  const lvusdBad = crash.lvusdBadDebt.toBigInt();
  assert.ok(lvusdBad > (4_500n - worth - 1n) * LVUSD_UNIT && lvusdBad < (4_501n - worth) * LVUSD_UNIT,
    `lvUSD bad debt ${lvusdBad}`);
  const usdcBad = crash.markets[0].badDebt.toBigInt();
  assert.ok(usdcBad > (4_800n - worth - 1n) * USDC_UNIT && usdcBad < (4_801n - worth) * USDC_UNIT,
    `USDC bad debt ${usdcBad}`);
});

test('the summary adds up the markets, vaults and backstops, and a 10% fall puts at risk what the stress test lists', async () => {
  const at = await api.at(populated);
  const result = await at.call.riskApi.system();
  assert.ok(result.isOk, `summary failed: ${result.toString()}`);
  const summary = result.asOk;
  const big = (value) => value.toBigInt();
  progress(`value locked $${big(summary.valueLocked) / USD}, debt $${big(summary.debt) / USD}, `
    + `${summary.vaultsAtRisk} vaults and ${summary.accountsAtRisk} accounts at risk`);

  const types = await at.call.vaultsApi.collateralTypes();
  const lvusdDebt = types.reduce((sum, type) => sum + big(type.totalDebt), 0n);
  assert.equal(big(summary.lvusdDebt), lvusdDebt, 'lvUSD debt is every type\'s');
  assert.equal(big(summary.valueLocked),
    big(summary.supplied) + big(summary.vaultCollateral) + big(summary.backstop));
  // lvUSD counts at $1; its 12 decimals are 6 short of the 18 of a USD value.
  assert.equal(big(summary.debt), big(summary.borrowed) + lvusdDebt * 10n ** 6n);

  // The supply, valued at the oracle's prices, market by market.
  const prices = new Map((await at.call.oracleApi.prices())
    .filter((info) => info.price.isSome)
    .map((info) => [info.asset.toNumber(), big(info.price.unwrap().value)]));
  let supplied = 0n;
  for (const market of await at.call.lendingApi.markets()) {
    const price = prices.get(market.asset.toNumber()) ?? 0n;
    supplied += (big(market.totalSupply) * price) / 10n ** BigInt(market.decimals.toNumber());
  }
  const gap = big(summary.supplied) > supplied
    ? big(summary.supplied) - supplied : supplied - big(summary.supplied);
  assert.ok(gap < USD / 1_000_000n, `supplied ${summary.supplied} against ${supplied}`);
  const shares = summary.collateral.reduce((sum, share) => sum + share.share.toNumber(), 0);
  assert.ok(shares <= 1_000_000 && shares > 999_990, `shares add up to ${shares} parts per million`);
  assert.equal(summary.largestShare.toNumber(),
    Math.max(...summary.collateral.map((share) => share.share.toNumber())));

  // At risk: what a 10% fall of every vault collateral lists (Dave's only collateral is DOT).
  assert.equal(summary.atRiskFall.toNumber(), 100_000);
  const shocks = types
    .filter((type) => prices.has(type.asset.toNumber()))
    .map((type) => ({ asset: type.asset, fall: 100_000 }));
  const fall = (await at.call.riskApi.stress(shocks, 0)).asOk;
  assert.equal(summary.vaultsAtRisk.toNumber(), fall.liquidatableVaults.toNumber());
  assert.equal(summary.accountsAtRisk.toNumber(), fall.liquidatableAccounts.toNumber());
  if (big(summary.debtAtRisk) === 0n) {
    assert.ok(summary.backstopCoverage.isNone, 'no coverage without debt at risk');
  } else {
    const coverage = summary.backstopCoverage.unwrap().toNumber();
    assert.equal(coverage, Number((big(summary.covered) * 1_000_000n) / big(summary.debtAtRisk)));
  }
});

test('a shock of an unpriced asset fails with the error\'s name', async () => {
  const result = await api.call.riskApi.stress([{ asset: 4_242, fall: 100_000 }], 100);
  assert.ok(result.isErr);
  const { section, name } = api.registry.findMetaError(result.asErr.asModule);
  assert.equal(`${section}.${name}`, 'liquidation.UnpricedShock');
  const twice = await api.call.riskApi.stress([
    { asset: DOT, fall: 100_000 }, { asset: DOT, fall: 200_000 }], 100);
  assert.equal(api.registry.findMetaError(twice.asErr.asModule).name, 'DuplicateShock');
});
