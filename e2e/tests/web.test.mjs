// The web app in headless Chromium against a real dev node with its price feed: the dashboard's
// figures (prices, lvUSD books, the summary's value locked and debt) match the runtime APIs read
// by @polkadot/api at the block the page shows; Bob supplies USDC from the trader view and a
// borrow beyond his limit fails with the chain's error in words; Alice previews a 3x DOT
// lever-up, signs it, and sees her position and health factor, then protects it with
// auto-deleverage and sees it watched at her health factor; the stress test draws its charts
// and its counts match riskApi.stress. Screenshots go to $LEVER_ARTIFACTS (default
// e2e/artifacts).

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPricedDevChain, progress, submit, waitFor, DOT, USDC, DOT_UNIT, PRICED_ASSETS,
} from '../lib/node.mjs';
import { buildWebApp, launchBrowser, screenshot, serveStatic } from '../lib/web.mjs';

let chain;
let api;
let server;
let browser;
let page;
let appUrl;
const pageErrors = [];

before(async () => {
  buildWebApp();
  chain = await startPricedDevChain('web-dev');
  api = chain.api;
  server = await serveStatic();
  browser = await launchBrowser();
  page = browser.page;
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  appUrl = `${server.url}?rpc=ws://127.0.0.1:${chain.node.rpcPort}`;
});

after(async () => {
  await browser?.stop();
  await server?.stop();
  await chain?.stop();
});

/** A FixedU128 codec as a number. */
function fixed(value) {
  return Number(value.toBigInt()) / 1e18;
}

/** The number in a figure the page shows, e.g. "$1,234.50" or "15.00%" or "3,000.00 DOT". */
function shownNumber(text) {
  const match = /-?[\d,]*\.?\d+/.exec(text);
  assert.ok(match, `no number in "${text}"`);
  return Number(match[0].replaceAll(',', ''));
}

/** The texts of `selectors` and the block the page read them at (from `blockSelector`), read at once. */
async function readAtBlock(blockSelector, selectors) {
  const read = await page.evaluate(([blockSel, sels]) => ({
    block: Number(document.querySelector(blockSel)?.dataset.block),
    texts: sels.map((sel) => document.querySelector(sel)?.textContent ?? null),
  }), [blockSelector, selectors]);
  assert.ok(read.block > 0, `the page shows no block at ${blockSelector}`);
  read.texts.forEach((text, index) => assert.notEqual(text, null, `nothing at ${selectors[index]}`));
  const hash = await api.rpc.chain.getBlockHash(read.block);
  return { ...read, at: await api.at(hash) };
}

async function chooseAccount(name) {
  await page.waitForSelector('#account-select option[value]:not([value=""])', { state: 'attached' });
  const address = await page.$eval('#account-select', (element, wanted) =>
    [...element.options].find((option) => option.text.startsWith(`${wanted} (`))?.value, name);
  assert.ok(address, `the account picker offers ${name}`);
  await page.selectOption('#account-select', address);
  await page.waitForSelector(`#account-address:text-is("${address}")`);
  return address;
}

/** Waits for the activity log's entry starting with `label` to settle; returns { state, text }. */
async function settled(label) {
  const entry = page.locator('#activity-list li.tx', { hasText: label }).first();
  await entry.waitFor();
  await page.waitForFunction((element) => element.dataset.state !== 'pending', await entry.elementHandle(), { timeout: 60_000 });
  return { state: await entry.getAttribute('data-state'), text: await entry.textContent() };
}

test('the dashboard shows the chain\'s prices and lvUSD books at the block it names', async () => {
  await page.goto(`${appUrl}#dashboard`);
  await page.waitForSelector('#dashboard-block[data-block]');
  assert.match(await page.textContent('#connection'), /connected/);
  assert.ok(Number(await page.getAttribute('#block-number', 'data-block')) > 0, 'the header shows the block');

  const priceCells = PRICED_ASSETS.map(({ id }) => `#prices-table tr[data-asset="${id}"] td[data-col="price"]`);
  const { block, texts, at } = await readAtBlock('#dashboard-block', [
    ...priceCells, '#lvusd-books dd[data-field="issuance"]', '#lvusd-books dd[data-field="totalDebt"]',
    '#summary-facts dd[data-field="valueLocked"]', '#summary-facts dd[data-field="debt"]',
  ]);
  const prices = new Map((await at.call.oracleApi.prices()).map((info) => [info.asset.toNumber(), fixed(info.price.unwrap().value)]));
  PRICED_ASSETS.forEach(({ id, symbol }, index) => {
    assert.equal(shownNumber(texts[index]), Math.round(prices.get(id) * 100) / 100, `${symbol}'s price at block ${block}`);
  });
  const system = await at.call.vaultsApi.system();
  const [issuance, totalDebt, valueLocked, debt] = texts.slice(PRICED_ASSETS.length);
  assert.ok(Math.abs(shownNumber(issuance) - Number(system.issuance.toBigInt()) / 1e12) < 0.01, `issuance ${issuance}`);
  assert.match(issuance, /lvUSD$/);
  assert.ok(Math.abs(shownNumber(totalDebt) - Number(system.totalDebt.toBigInt()) / 1e12) < 0.01, `debt ${totalDebt}`);
  const summary = (await at.call.riskApi.system()).asOk;
  assert.ok(Math.abs(shownNumber(valueLocked) - fixed(summary.valueLocked)) < 0.01, `value locked ${valueLocked}`);
  assert.ok(Math.abs(shownNumber(debt) - fixed(summary.debt)) < 0.01, `debt ${debt}`);
  progress(`dashboard at block ${block}: DOT ${texts[0]}, lvUSD issued ${issuance}, value locked ${valueLocked}`);
});

test('Bob supplies USDC from the trader view; a borrow past his limit fails in words', async () => {
  const charlie = chain.keyring.addFromUri('//Charlie');
  const charlieSupplies = submit(api, api.tx.lending.supply(DOT, 10_000n * DOT_UNIT), charlie);

  await page.goto(`${appUrl}#trader`);
  await page.waitForSelector('#trader-block');
  await chooseAccount('Bob');
  await page.selectOption('#lending-asset', String(USDC));
  await page.fill('#lending-amount', '100000');
  await page.click('#lending-supply');
  const supplied = await settled('Supply 100000 USDC');
  assert.equal(supplied.state, 'ok', supplied.text);
  // The market's first supply leaves its seed (a millionth of a USDC) behind for good.
  const suppliedCell = `#lending-table tr[data-asset="${USDC}"] td[data-col="supplied"]`;
  await page.waitForSelector(suppliedCell);
  assert.ok(Math.abs(shownNumber(await page.textContent(suppliedCell)) - 100_000) < 0.001,
    `Bob's supply: ${await page.textContent(suppliedCell)}`);
  progress(`Bob: ${supplied.text}`);
  await charlieSupplies;

  await page.fill('#lending-amount', '90000');
  await page.click('#lending-borrow');
  const refused = await settled('Borrow 90000 USDC');
  assert.equal(refused.state, 'error', refused.text);
  const docs = api.errors.lending.InsufficientCollateral.meta.docs.map(String).join(' ').trim();
  assert.ok(refused.text.includes(`lending.InsufficientCollateral: ${docs}`), refused.text);
  progress(`the refused borrow reads: ${refused.text}`);
});

test('Alice previews a 3x DOT lever-up, signs it, and sees her position and health', async () => {
  const address = await chooseAccount('Alice');
  assert.ok(await page.isDisabled('#up-sign'), 'nothing to sign before a preview');
  await page.selectOption('#up-collateral', String(DOT));
  await page.selectOption('#up-debt', String(USDC));
  await page.fill('#up-deposit', '1000');
  await page.fill('#up-target', '3');
  await page.fill('#up-slippage', '1');
  await page.fill('#up-min-health', '1.05');
  await page.waitForSelector('#up-preview [data-state="ok"]');
  await page.waitForSelector('#up-sign:enabled');

  const shownCollateral = await page.textContent('#up-preview-facts dd[data-field="collateral"]');
  const shownHealth = await page.textContent('#up-preview-facts dd[data-field="healthFactor"]');
  const preview = (await api.call.leverageApi.previewLeverUp(
    address, DOT, USDC, 1_000n * DOT_UNIT, { Leverage: 3n * 10n ** 18n }, 10_000)).asOk;
  assert.equal(shownCollateral, '3,000.00 DOT');
  const previewHealth = fixed(preview.position.healthFactor.unwrap());
  assert.ok(Math.abs(shownNumber(shownHealth) - previewHealth) < 0.002, `previewed health ${shownHealth} vs ${previewHealth}`);
  progress(`the preview shows ${shownCollateral} supplied and health ${shownHealth}`);
  await screenshot(page, 'web-trader-preview');

  await page.click('#up-sign');
  const levered = await settled('Lever DOT up to 3× against USDC');
  assert.equal(levered.state, 'ok', levered.text);
  progress(`Alice: ${levered.text}`);

  await page.waitForSelector(`#lending-table tr[data-asset="${DOT}"] td[data-col="supplied"]:has-text("3,000.00 DOT")`);
  await page.waitForSelector('#health-factor[data-value]:not([data-value=""])');
  const { block, health } = await page.evaluate(() => ({
    block: Number(document.querySelector('#trader-block').dataset.block),
    health: Number(document.querySelector('#health-factor').dataset.value),
  }));
  const account = await (await api.at(await api.rpc.chain.getBlockHash(block))).call.lendingApi.account(address);
  const expected = fixed(account.healthFactor.unwrap());
  assert.ok(Math.abs(health - expected) < 1e-9, `health factor ${health} vs ${expected} at block ${block}`);
  assert.ok(Math.abs(health - previewHealth) < 1e-3, `health factor ${health} as previewed ${previewHealth}`);
  const borrowed = await page.textContent(`#lending-table tr[data-asset="${USDC}"] td[data-col="borrowed"]`);
  const debt = account.markets.find((entry) => entry.asset.toNumber() === USDC).borrowed.toBigInt();
  assert.ok(Math.abs(shownNumber(borrowed) - Number(debt) / 1e6) < 0.01, `borrowed ${borrowed}`);
  progress(`Alice holds 3,000 DOT against ${borrowed}, health factor ${health.toFixed(4)}`);
  await screenshot(page, 'web-trader');
});

test('Alice protects her lending position and sees it watched at her health factor', async () => {
  const address = await chooseAccount('Alice');
  await page.waitForSelector('#protect-terms:has-text("0.50%")');
  await page.selectOption('#protect-kind', 'lending');
  await page.selectOption('#protect-collateral', String(DOT));
  await page.selectOption('#protect-debt', String(USDC));
  await page.fill('#protect-trigger', '1.05');
  await page.fill('#protect-target', '1.3');
  await page.fill('#protect-slippage', '2');
  await page.click('#protect-sign');
  const protectedTx = await settled('Protect the DOT → USDC lending');
  assert.equal(protectedTx.state, 'ok', protectedTx.text);

  const row = `#protections-table tr[data-position="lending-${DOT}-${USDC}"]`;
  await page.waitForSelector(`${row} td[data-col="trigger"]:has-text("1.050")`);
  const stored = await api.query.leverage.protections(address);
  assert.equal(stored.length, 1);
  assert.equal(fixed(stored[0].settings.trigger), 1.05);
  assert.equal(fixed(stored[0].settings.target), 1.3);
  const shown = {
    ratio: shownNumber(await page.textContent(`${row} td[data-col="ratio"]`)),
    target: shownNumber(await page.textContent(`${row} td[data-col="target"]`)),
    state: await page.textContent(`${row} td[data-col="state"]`),
    health: Number(await page.$eval('#health-factor', (element) => element.dataset.value)),
  };
  assert.equal(shown.target, 1.3);
  assert.ok(Math.abs(shown.ratio - shown.health) < 0.001, `ratio ${shown.ratio} vs health ${shown.health}`);
  assert.equal(shown.state, 'watching', 'above its trigger, the position is only watched');
  progress(`Alice's DOT → USDC position is protected: health ${shown.ratio}, trigger 1.05, target 1.3`);
  await screenshot(page, 'web-protection');
});

test('the dashboard\'s markets and stress test match the runtime APIs', async () => {
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  await page.goto(`${appUrl}#dashboard`);
  await page.waitForFunction((block) => Number(document.querySelector('#dashboard-block')?.dataset.block) >= block, now);
  const row = `#markets-table tr[data-asset="${USDC}"]`;
  const { block, texts, at } = await readAtBlock('#dashboard-block', [
    `${row} td[data-col="supply"]`, `${row} td[data-col="borrows"]`, `${row} td[data-col="utilization"]`,
  ]);
  const usdc = (await at.call.lendingApi.markets()).find((market) => market.asset.toNumber() === USDC);
  const [supply, borrows, utilization] = texts;
  assert.ok(Math.abs(shownNumber(supply) - Number(usdc.totalSupply.toBigInt()) / 1e6) < 1e-4, `supply ${supply}`);
  assert.ok(Math.abs(shownNumber(borrows) - Number(usdc.totalBorrows.toBigInt()) / 1e6) < 1e-4, `borrows ${borrows}`);
  const expectedUtilization = fixed(usdc.utilization) * 100;
  assert.ok(expectedUtilization > 10, `Alice's borrow uses the market: ${expectedUtilization}%`);
  assert.ok(Math.abs(shownNumber(utilization) - expectedUtilization) <= 0.0051, `utilization ${utilization} vs ${expectedUtilization}`);
  progress(`USDC market at block ${block}: supply ${supply}, borrows ${borrows}, utilization ${utilization}`);

  await page.selectOption('#stress-asset', String(DOT));
  await page.selectOption('#stress-fall', '30');
  await page.click('#stress-run');
  await page.waitForSelector('#stress-chart-bad-debt');
  const badDebtPoints = await page.locator('#stress-chart-bad-debt circle.point').count();
  const liquidatedPoints = await page.locator('#stress-chart-liquidated circle.point').count();
  assert.ok(badDebtPoints >= 10 && badDebtPoints % 10 === 0, `${badDebtPoints} bad-debt points`);
  assert.equal(liquidatedPoints, 20, 'vault and lending debt at ten falls');

  const stressBlock = Number(await page.getAttribute('#stress-status', 'data-block'));
  const stressAt = await api.at(await api.rpc.chain.getBlockHash(stressBlock));
  const stress = async (percent) => (await stressAt.call.riskApi.stress([{ asset: DOT, fall: percent * 10_000 }], 20)).asOk;
  const thirty = await stress(30);
  assert.equal(Number(await page.textContent('#stress-facts dd[data-field="accounts"]')), thirty.liquidatableAccounts.toNumber());
  assert.equal(Number(await page.textContent('#stress-facts dd[data-field="vaults"]')), thirty.liquidatableVaults.toNumber());
  assert.ok(thirty.liquidatableAccounts.toNumber() >= 1, 'a 30% fall makes Alice\'s 3x position liquidatable');
  const dotPrice = fixed(thirty.prices[0][1]);
  assert.equal(shownNumber(await page.textContent('#stress-facts dd[data-field="price"]')), Math.round(dotPrice * 100) / 100);

  // The lvUSD line's point at a 90% fall is the report's lvUSD bad debt in dollars.
  const ninety = await stress(90);
  const point = await page.getAttribute('#stress-chart-bad-debt circle.point[data-series="0"][data-x="90"]', 'data-y');
  const lvusdBadDebt = Number(ninety.lvusdBadDebt.toBigInt()) / 1e12;
  assert.ok(lvusdBadDebt > 0, 'the genesis vault is under water at a 90% fall');
  assert.ok(Math.abs(Number(point) - lvusdBadDebt) < 1e-6 * lvusdBadDebt, `chart ${point} vs ${lvusdBadDebt}`);
  progress(`stress at block ${stressBlock}: DOT -30% makes ${thirty.liquidatableAccounts} account(s) liquidatable; `
    + `DOT -90% leaves ${lvusdBadDebt.toFixed(2)} lvUSD of bad debt`);

  await page.click('#stress-chart-liquidated circle.point[data-series="1"][data-x="50"]');
  await page.waitForSelector('#stress-detail h3:text-is("DOT 50% down")');
  await screenshot(page, 'web-dashboard');
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
