// Vaults and lvUSD on a real dev node with real oracle prices, driven by @polkadot/api from the
// metadata alone: Alice opens a DOT vault, mints lvUSD, sends some to Bob with pallet-assets,
// repays and closes; then governance shuts the system down and Bob redeems his lvUSD for
// collateral at the frozen prices.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, assetBalance, progress, submit, DOT, ETH, LVUSD, DOT_UNIT, ETH_UNIT,
  LVUSD_UNIT,
} from '../lib/node.mjs';

let chain;
let api;
let alice;
let bob;

before(async () => {
  chain = await startPricedDevChain('vaults-dev');
  api = chain.api;
  alice = chain.keyring.addFromUri('//Alice');
  bob = chain.keyring.addFromUri('//Bob');
});

after(async () => {
  await chain?.stop();
});

async function vault(who, asset) {
  const vaults = await api.call.vaultsApi.vaults(who.address);
  return vaults.find((entry) => entry.asset.toNumber() === asset) ?? null;
}

test('the dev chain has lvUSD and collateral types for DOT, ETH and BTC', async () => {
  const metadata = await api.query.assets.metadata(LVUSD);
  assert.equal(metadata.symbol.toUtf8(), 'lvUSD');
  assert.equal(metadata.decimals.toNumber(), 12);
  const types = await api.call.vaultsApi.collateralTypes();
  assert.deepEqual(types.map((entry) => entry.asset.toNumber()).sort(), [1, 2, 3]);
  // The treasury's genesis vault minted the lvUSD of the AMM's lvUSD pools.
  const books = await api.call.vaultsApi.system();
  assert.equal(books.issuance.toBigInt(), 1_501_000n * LVUSD_UNIT);
});

test('Alice opens a DOT vault, mints lvUSD and sends some to Bob', async () => {
  await submit(api, api.tx.vaults.open(DOT, 1_000n * DOT_UNIT), alice);
  await submit(api, api.tx.vaults.mint(DOT, 2_000n * LVUSD_UNIT), alice);
  assert.equal(await assetBalance(api, LVUSD, alice), 2_000n * LVUSD_UNIT);
  const info = await vault(alice, DOT);
  const ratio = Number(info.collateralRatio.unwrap().toBigInt()) / 1e18;
  const liquidationPrice = Number(info.liquidationPrice.unwrap().toBigInt()) / 1e18;
  // 1000 DOT at $7.50 over 2000 lvUSD; 2000 × 150% / 1000 DOT = $3.
  progress(`Alice's vault: ratio ${ratio}, liquidation price $${liquidationPrice}`);
  assert.ok(Math.abs(ratio - 3.75) < 1e-6);
  assert.ok(Math.abs(liquidationPrice - 3) < 1e-6);
  await submit(api, api.tx.assets.transfer(LVUSD, bob.address, 500n * LVUSD_UNIT), alice);
  assert.equal(await assetBalance(api, LVUSD, bob), 500n * LVUSD_UNIT);
});

test('Alice repays with fees and closes her vault', async () => {
  // Bob returns the 500 and adds 100 lvUSD of his own vault for Alice's fees.
  await submit(api, api.tx.vaults.open(ETH, ETH_UNIT), bob);
  await submit(api, api.tx.vaults.mint(ETH, 1_000n * LVUSD_UNIT), bob);
  await submit(api, api.tx.assets.transfer(LVUSD, alice.address, 600n * LVUSD_UNIT), bob);
  const dotBefore = await assetBalance(api, DOT, alice);
  const { events } = await submit(api, api.tx.vaults.close(DOT), alice);
  const adjusted = events.find((event) => api.events.vaults.VaultAdjusted.is(event));
  const repaid = adjusted.data.repaid.toBigInt();
  progress(`Alice repaid ${repaid} lvUSD units for 2000 lvUSD minted`);
  assert.ok(repaid > 2_000n * LVUSD_UNIT, 'the stability fee was paid');
  assert.ok(events.some((event) => api.events.vaults.VaultClosed.is(event)));
  assert.equal(await assetBalance(api, DOT, alice), dotBefore + 1_000n * DOT_UNIT);
  assert.equal(await vault(alice, DOT), null);
  const books = await api.call.vaultsApi.system();
  assert.ok(books.surplus.toBigInt() > 0n, 'the fees are surplus');
});

test('emergency shutdown: vaults settle at frozen prices and lvUSD redeems for collateral', async () => {
  await submit(api, api.tx.sudo.sudo(api.tx.vaults.shutdown()), alice);
  assert.ok((await api.query.vaults.shutdownAt()).isSome, 'shut down');
  await assert.rejects(submit(api, api.tx.vaults.mint(ETH, 100n * LVUSD_UNIT), bob), /vaults\.ShutDown/);
  const ethBefore = await assetBalance(api, ETH, bob);
  await submit(api, api.tx.vaults.settleVault(ETH, bob.address), alice);
  const returned = (await assetBalance(api, ETH, bob)) - ethBefore;
  progress(`Bob's ETH vault settled: ${returned} ETH units returned over his debt`);
  assert.ok(returned > 0n && returned < ETH_UNIT);
  // Every other vault with debt (the treasury's genesis vault) is settled too.
  for (const [key, stored] of await api.query.vaults.vaults.entries()) {
    const [asset, owner] = key.args;
    if (stored.unwrap().normalizedDebt.toBigInt() > 0n) {
      await submit(api, api.tx.vaults.settleVault(asset, owner), alice);
    }
  }
  await submit(api, api.tx.vaults.fixRedemption(), alice);
  const lvusd = await assetBalance(api, LVUSD, bob);
  const { events } = await submit(api, api.tx.vaults.redeem(lvusd), bob);
  assert.ok(events.some((event) => api.events.vaults.Redeemed.is(event)));
  const redeemed = (await assetBalance(api, ETH, bob)) - ethBefore - returned;
  // Bob's lvUSD is a share of the ETH pool at the frozen $3500.
  const dollars = Number(redeemed) / 1e18 * 3500;
  progress(`Bob redeemed ${lvusd} lvUSD units for ${redeemed} ETH units ($${dollars.toFixed(2)})`);
  assert.ok(dollars > 0);
  assert.equal(await assetBalance(api, LVUSD, bob), 0n);
});
