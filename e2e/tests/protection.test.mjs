// Protective auto-deleverage on a real dev node fed by the price server. Alice and Bob each hold
// the same DOT vault, 1,000 DOT at $7.50 against 4,800 lvUSD (156%, liquidated below 150%);
// Alice protects hers with leverage.protect (trigger 155%, target 200%, 2% slippage), and
// Charlie supplies the DOT lending market the deleverage flash-loans from. Then the
// price server takes DOT down 8% to $6.90, which puts both vaults at 144%, under the line. With
// no keeper and no call from anyone: Alice's vault is deleveraged to 200% through the genesis
// DOT/lvUSD pool (by the validator's sweep when the trigger is crossed, or at the latest in her
// liquidation turn) and is never liquidated, paying the pool's fee and price impact and the
// 0.5% protection fee (the flash loan's fee within it); Bob's is liquidated with the 13% penalty. Then Alice
// raises her trigger above her vault's ratio, and the validator's sweep deleverages it by a
// transaction of its own, with no call from anyone.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, oraclePrices, progress, submit, waitFor, DOT, DOT_UNIT, LVUSD_UNIT,
  FIXED_ONE, ONE_PERCENT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;
const seen = [];
let unsubscribe = () => {};

before(async () => {
  chain = await startPricedDevChain('protection-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
  unsubscribe = await api.rpc.chain.subscribeNewHeads(async (header) => {
    const records = await api.query.system.events.at(header.hash);
    for (const { phase, event } of records) seen.push({ block: header.number.toNumber(), phase, event });
  });
});

after(async () => {
  unsubscribe();
  await chain?.stop();
});

const toNumber = (fixed) => Number(fixed.toBigInt()) / 1e18;

async function dotVault(who) {
  return (await api.call.vaultsApi.vaults(who.address)).find((entry) => entry.asset.toNumber() === DOT);
}

test('Alice protects her vault and Bob does not', async () => {
  // The DOT a vault's deleverage flash-loans comes from the DOT lending market.
  const charlie = chain.keyring.addFromUri('//Charlie');
  await submit(api, api.tx.lending.supply(DOT, 10_000n * DOT_UNIT), charlie);
  for (const who of [alice, bob]) {
    await submit(api, api.tx.vaults.open(DOT, 1_000n * DOT_UNIT), who);
    await submit(api, api.tx.vaults.mint(DOT, 4_800n * LVUSD_UNIT), who);
  }
  const position = { Vault: DOT };
  // A trigger at the liquidation ratio is refused, with the error in words.
  await assert.rejects(
    submit(api, api.tx.leverage.protect(position, 150n * FIXED_ONE / 100n, 2n * FIXED_ONE, 2 * ONE_PERCENT), alice),
    /InvalidProtection/,
  );
  const { events } = await submit(api,
    api.tx.leverage.protect(position, 155n * FIXED_ONE / 100n, 2n * FIXED_ONE, 2 * ONE_PERCENT), alice);
  const protectedEvent = events.find((event) => api.events.leverage.Protected.is(event));
  assert.ok(protectedEvent, 'Protected event');
  assert.equal(protectedEvent.data.deposit.toBigInt(), api.consts.leverage.protectionDeposit.toBigInt());
  const stored = await api.query.leverage.protections(alice.address);
  assert.equal(stored.length, 1);
  assert.ok(stored[0].position.isVault && stored[0].position.asVault.toNumber() === DOT);
  for (const who of [alice, bob]) {
    const ratio = toNumber((await dotVault(who)).collateralRatio.unwrap());
    progress(`${who === alice ? 'Alice' : 'Bob'}'s vault at ${(ratio * 100).toFixed(2)}%`);
    assert.ok(ratio > 1.55 && ratio < 1.57, `ratio ${ratio}`);
  }
});

test('DOT falls 8%: Alice is deleveraged to her target, Bob is liquidated with the penalty', async () => {
  const from = seen.length;
  await chain.server.switchTo('dot-fall-8');
  await waitFor('the oracle to price DOT 8% lower', async () => {
    const dot = (await oraclePrices(api)).get(DOT);
    return dot.fresh && dot.value <= 6.91;
  }, { timeoutMs: 120_000 });
  await waitFor('Bob\'s liquidation', async () => seen.slice(from).some(({ event }) =>
    api.events.liquidation.VaultLiquidated.is(event) && event.data.owner.eq(bob.address)),
  { timeoutMs: 60_000 });
  const events = seen.slice(from).map(({ event }) => event);

  const found = seen.slice(from).find(({ event }) => api.events.leverage.Deleveraged.is(event)
    && event.data.who.eq(alice.address));
  assert.ok(found, 'Alice\'s vault was deleveraged');
  const { repaid, fee } = found.event.data;
  assert.ok(found.event.data.ratio.isSome, 'debt is left: the vault stays open');
  const ratio = found.event.data.ratio.unwrap();
  const by = found.phase.isInitialization ? 'the engine, in her liquidation turn' : 'the sweep\'s transaction';
  progress(`block ${found.block}, by ${by}: Alice repaid ${Number(repaid.toBigInt()) / 1e12} lvUSD, `
    + `paid a fee of ${Number(fee.toBigInt()) / 1e10} DOT, and her vault was left at ${(toNumber(ratio) * 100).toFixed(3)}%`);
  assert.ok(Math.abs(toNumber(ratio) - 2) < 0.001, `ratio after the deleverage ${toNumber(ratio)}`);
  assert.ok(fee.toBigInt() > 0n);
  assert.ok(!events.some((event) => api.events.liquidation.VaultLiquidated.is(event)
    && event.data.owner.eq(alice.address)), 'Alice is never liquidated');
  const bobs = events.find((event) => api.events.liquidation.VaultLiquidated.is(event)
    && event.data.owner.eq(bob.address));
  progress(`Bob's vault gave up ${Number(bobs.data.debt.toBigInt()) / 1e12} lvUSD of debt and `
    + `${Number(bobs.data.collateral.toBigInt()) / 1e10} DOT`);
  assert.ok(bobs.data.debt.toBigInt() > 0n);

  // Alice keeps her vault, well above the line at the new price.
  const vault = await dotVault(alice);
  const now = toNumber(vault.collateralRatio.unwrap());
  progress(`Alice's vault now at ${(now * 100).toFixed(2)}% with DOT at $${(await oraclePrices(api)).get(DOT).value}`);
  assert.ok(now > 1.8, `ratio now ${now}`);
});

test('above the line, the validator\'s sweep deleverages a position below its trigger', async () => {
  // Alice's vault is at about 200%; a trigger of 210% puts it below at once. No one calls
  // anything: the validator's offchain sweep submits the deleverage, included in a block.
  const from = seen.length;
  await submit(api, api.tx.leverage.protect({ Vault: DOT }, 210n * FIXED_ONE / 100n, 230n * FIXED_ONE / 100n, 2 * ONE_PERCENT), alice);
  await waitFor('the sweep\'s deleverage', async () => seen.slice(from).some(({ event }) =>
    api.events.leverage.Deleveraged.is(event) && event.data.who.eq(alice.address)), { timeoutMs: 60_000 });
  const found = seen.slice(from).find(({ event }) => api.events.leverage.Deleveraged.is(event)
    && event.data.who.eq(alice.address));
  assert.ok(found.phase.isApplyExtrinsic, 'included as a transaction, not in on_initialize');
  const ratio = toNumber(found.event.data.ratio.unwrap());
  progress(`block ${found.block}: the sweep's transaction took Alice's vault to ${(ratio * 100).toFixed(3)}%`);
  assert.ok(Math.abs(ratio - 2.3) < 0.001, `ratio ${ratio}`);
});

test('Alice stops the protection and gets her deposit back', async () => {
  const { events } = await submit(api, api.tx.leverage.unprotect({ Vault: DOT }), alice);
  const event = events.find((entry) => api.events.leverage.Unprotected.is(entry));
  assert.ok(event, 'Unprotected event');
  assert.equal(event.data.deposit.toBigInt(), api.consts.leverage.protectionDeposit.toBigInt());
  assert.equal((await api.query.leverage.protections(alice.address)).length, 0);
});
