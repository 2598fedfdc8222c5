/**
 * The stress test panel: for one asset, asks riskApi.stress for falls of its price from 0% to
 * 90% in steps of 10% (all at one block), charts the bad debt (lvUSD and each lending market, in
 * USD) and the debt of the positions each fall makes liquidatable, and lists, for the fall the
 * user picks, the counts, the collateral types and markets hit, and the vaults and accounts.
 *
 * Units, as the runtime reports them: a fall is a Permill (millionths); prices and USD values are
 * FixedU128; amounts are in each asset's smallest unit; lvUSD counts at one dollar.
 */

import { assetOf, describeDispatchError, priceMap } from './chain.js';
import { lineChart } from './chart.js';
import { facts, field, h, replace, select, table } from './dom.js';
import {
  PERMILL_ONE, fixedToNumber, formatAmount, formatNumber, formatUsd, formatUsdShort, optionFixed,
  shortAddress, unitsToNumber,
} from './format.js';

/** The falls the panel asks for, in percent. */
export const FALLS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];

const COLORS = ['#c0392b', '#2e86de', '#16a085', '#8e44ad', '#d68910', '#5d6d7e'];

/**
 * The figures of one report in USD: `prices` maps every asset to the price the scenario uses
 * (the shocked price where the report gives one, else the oracle's).
 */
export function summarize(report, oraclePrices, assets, lvusd) {
  const prices = new Map(oraclePrices);
  for (const [asset, price] of report.prices) prices.set(asset.toNumber(), fixedToNumber(price));
  const usd = (assetId, amount) => {
    const asset = assetOf(assets, assetId);
    const price = prices.get(asset.id);
    return price === null || price === undefined ? 0 : unitsToNumber(amount, asset.decimals) * price;
  };
  const marketBadDebt = new Map(report.markets.map((market) =>
    [market.asset.toNumber(), usd(market.asset, market.badDebt)]));
  return {
    prices,
    vaults: report.liquidatableVaults.toNumber(),
    accounts: report.liquidatableAccounts.toNumber(),
    lvusdBadDebt: unitsToNumber(report.lvusdBadDebt, lvusd.decimals),
    marketBadDebt,
    lendingBadDebt: [...marketBadDebt.values()].reduce((sum, value) => sum + value, 0),
    vaultDebt: report.vaultTypes.reduce((sum, type) => sum + unitsToNumber(type.debt, lvusd.decimals), 0),
    lendingDebt: report.markets.reduce((sum, market) => sum + usd(market.asset, market.debt), 0),
    usd,
  };
}

/** Creates the panel; returns { element, setAssets(prices) }. */
export function createStressPanel(app) {
  const { api, assets, lvusd } = app;
  const assetSelect = h('select', { id: 'stress-asset' });
  const listedInput = h('input', { id: 'stress-listed', type: 'number', min: '0', max: '1000', value: '20' });
  const runButton = h('button', { id: 'stress-run', type: 'button', class: 'primary', disabled: true }, 'Run stress test');
  const fallSelect = select({ id: 'stress-fall' }, FALLS.map((fall) => [fall, `${fall}%`]), 30);
  const status = h('p', { class: 'muted', id: 'stress-status' }, 'Pick an asset and run the test: it changes nothing on the chain.');
  const charts = h('div', { class: 'charts', id: 'stress-charts' });
  const detail = h('div', { id: 'stress-detail' });
  let results = null;

  const element = h('section', { class: 'card', id: 'stress' },
    h('h2', {}, 'Stress test'),
    h('p', { class: 'muted' }, 'What a fall of one price would do, judged by the liquidation engine\'s own rules at the prices of the block read: the positions it makes liquidatable and the bad debt it leaves (debt the collateral no longer covers).'),
    h('div', { class: 'controls' },
      field('Asset that falls', assetSelect),
      field('List at most', listedInput, 'vaults and accounts per fall'),
      runButton,
      field('Details for a fall of', fallSelect)),
    status, charts, detail);

  function drawCharts() {
    const ok = results.reports.every((entry) => entry.summary);
    if (!ok) return;
    const summaries = results.reports.map((entry) => entry.summary);
    const marketIds = [...new Set(summaries.flatMap((summary) => [...summary.marketBadDebt.keys()]))].sort((a, b) => a - b);
    const selected = Number(fallSelect.value);
    const pick = (fall) => {
      fallSelect.value = String(fall);
      drawCharts();
      drawDetail();
    };
    const badDebt = lineChart({
      title: `Bad debt if ${results.asset.symbol} falls (USD)`,
      xLabel: `Fall of ${results.asset.symbol}'s price`,
      xs: FALLS,
      formatX: (fall) => `${fall}%`,
      formatY: formatUsdShort,
      selectedX: selected,
      onPick: pick,
      series: [
        { name: 'lvUSD (vaults)', color: COLORS[0], values: summaries.map((summary) => summary.lvusdBadDebt) },
        ...marketIds.map((id, index) => ({
          name: `${assetOf(assets, id).symbol} market`,
          color: COLORS[(index + 1) % COLORS.length],
          values: summaries.map((summary) => summary.marketBadDebt.get(id) ?? 0),
        })),
      ],
    });
    badDebt.id = 'stress-chart-bad-debt';
    const liquidated = lineChart({
      title: 'Debt of the positions made liquidatable (USD)',
      xLabel: `Fall of ${results.asset.symbol}'s price`,
      xs: FALLS,
      formatX: (fall) => `${fall}%`,
      formatY: formatUsdShort,
      selectedX: selected,
      onPick: pick,
      series: [
        { name: 'Vaults (lvUSD debt)', color: COLORS[0], values: summaries.map((summary) => summary.vaultDebt) },
        { name: 'Lending accounts', color: COLORS[1], values: summaries.map((summary) => summary.lendingDebt) },
      ],
    });
    liquidated.id = 'stress-chart-liquidated';
    replace(charts, badDebt, liquidated);
  }

  function drawDetail() {
    const fall = Number(fallSelect.value);
    const entry = results.reports[FALLS.indexOf(fall)];
    if (entry.error) {
      replace(detail, h('p', { class: 'error' }, `The stress test failed: ${entry.error}`));
      return;
    }
    const { report, summary } = entry;
    const shocked = summary.prices.get(results.asset.id);
    const vaultTypes = table([
      { label: 'Collateral' }, { label: 'Vaults', numeric: true }, { label: 'Debt', numeric: true },
      { label: 'First liquidations take', numeric: true }, { label: 'AMM would pay', numeric: true },
      { label: 'Auction room', numeric: true }, { label: 'Bad debt', numeric: true, key: 'badDebt' },
    ], report.vaultTypes.map((type) => ({
      attributes: { dataset: { asset: String(type.asset.toNumber()) } },
      cells: [
        assetOf(assets, type.asset).symbol, String(type.vaults.toNumber()), formatAmount(type.debt, lvusd),
        formatAmount(type.parts, lvusd), formatAmount(type.amm, lvusd), formatAmount(type.auctionRoom, lvusd),
        formatAmount(type.badDebt, lvusd),
      ],
    })), { attributes: { id: 'stress-vault-types' }, empty: 'No vault becomes liquidatable' });
    const markets = table([
      { label: 'Market' }, { label: 'Accounts', numeric: true }, { label: 'Debt', numeric: true },
      { label: 'Backstop ready', numeric: true }, { label: 'Bad debt', numeric: true, key: 'badDebt' },
      { label: 'Bad debt (USD)', numeric: true },
    ], report.markets.map((market) => {
      const asset = assetOf(assets, market.asset);
      return {
        attributes: { dataset: { asset: String(asset.id) } },
        cells: [
          asset.symbol, String(market.accounts.toNumber()), formatAmount(market.debt, asset),
          formatAmount(market.backstop, asset), formatAmount(market.badDebt, asset),
          formatUsd(summary.usd(market.asset, market.badDebt)),
        ],
      };
    }), { attributes: { id: 'stress-markets' }, empty: 'No lending account becomes liquidatable' });
    const vaults = table([
      { label: 'Owner' }, { label: 'Collateral' }, { label: 'Debt', numeric: true },
      { label: 'Collateral', numeric: true }, { label: 'Worth (lvUSD)', numeric: true },
      { label: 'First liquidation takes', numeric: true },
    ], report.vaults.map((vault) => {
      const asset = assetOf(assets, vault.asset);
      return [
        h('span', { title: vault.owner.toString() }, shortAddress(vault.owner)), asset.symbol,
        formatAmount(vault.debt, lvusd), formatAmount(vault.collateral, asset),
        formatAmount(vault.value, lvusd), formatAmount(vault.part, lvusd),
      ];
    }), { attributes: { id: 'stress-vaults' }, empty: 'None' });
    const accounts = table([
      { label: 'Account' }, { label: 'Collateral value', numeric: true }, { label: 'Debt value', numeric: true },
      { label: 'Health factor', numeric: true }, { label: 'Debts' },
    ], report.accounts.map((account) => [
      h('span', { title: account.who.toString() }, shortAddress(account.who)),
      formatUsd(fixedToNumber(account.collateralValue)),
      formatUsd(fixedToNumber(account.debtValue)),
      account.healthFactor.isSome ? formatNumber(optionFixed(account.healthFactor), 3) : '—',
      account.debts.map(([asset, amount]) => formatAmount(amount, assetOf(assets, asset))).join(', '),
    ]), { attributes: { id: 'stress-accounts' }, empty: 'None' });
    replace(detail,
      h('h3', {}, `${results.asset.symbol} ${fall}% down`),
      facts([
        [`${results.asset.symbol} price in the test`, formatUsd(shocked), 'price'],
        ['Liquidatable vaults', String(summary.vaults), 'vaults'],
        ['Liquidatable lending accounts', String(summary.accounts), 'accounts'],
        ['lvUSD backstop deposits', formatAmount(report.lvusdBackstop, lvusd), 'lvusdBackstop'],
        ['lvUSD bad debt', formatAmount(report.lvusdBadDebt, lvusd), 'lvusdBadDebt'],
        ['Lending bad debt', formatUsd(summary.lendingBadDebt), 'lendingBadDebt'],
      ], { id: 'stress-facts' }),
      h('h4', {}, 'Vaults by collateral type'), vaultTypes,
      h('h4', {}, 'Lending markets'), markets,
      h('h4', {}, `Vaults listed (${report.vaults.length} of ${summary.vaults})`), vaults,
      h('h4', {}, `Accounts listed (${report.accounts.length} of ${summary.accounts})`), accounts);
  }

  async function run() {
    const assetId = Number(assetSelect.value);
    const asset = assetOf(assets, assetId);
    const maxListed = Math.max(0, Math.min(1000, Number(listedInput.value) || 0));
    runButton.disabled = true;
    replace(status, `Running ${FALLS.length} stress tests of ${asset.symbol}…`);
    try {
      const hash = await api.rpc.chain.getBlockHash();
      const header = await api.rpc.chain.getHeader(hash);
      const at = await api.at(hash);
      const oracle = priceMap(await at.call.oracleApi.prices());
      const reports = await Promise.all(FALLS.map(async (fall) => {
        const result = await at.call.riskApi.stress([{ asset: assetId, fall: (fall * PERMILL_ONE) / 100 }], maxListed);
        if (result.isErr) return { fall, error: describeDispatchError(api, result.asErr) };
        return { fall, report: result.asOk, summary: summarize(result.asOk, oracle, assets, lvusd) };
      }));
      results = { asset, reports, block: header.number.toNumber() };
      const failed = reports.find((entry) => entry.error);
      status.dataset.block = String(results.block);
      replace(status, failed
        ? h('span', { class: 'error' }, `The stress test of ${asset.symbol} failed: ${failed.error}`)
        : `${asset.symbol} falls of 0% to 90%, read at block #${results.block.toLocaleString('en-US')}. Click a point for its details.`);
      if (failed) replace(charts);
      else drawCharts();
      drawDetail();
    } catch (error) {
      replace(status, h('span', { class: 'error' }, `The stress test could not run: ${error.message}`));
    } finally {
      runButton.disabled = false;
    }
  }

  runButton.addEventListener('click', run);
  fallSelect.addEventListener('change', () => {
    if (!results) return;
    drawCharts();
    drawDetail();
  });

  return {
    element,
    /**
     * Offers the assets the oracle has priced (from oracleApi.prices) in the asset picker,
     * keeping the choice; the list is rebuilt only when it changes.
     */
    setAssets(prices) {
      const priced = prices.filter((info) => info.price.isSome).map((info) => assetOf(assets, info.asset));
      const ids = priced.map((asset) => String(asset.id));
      if (ids.join() === Array.from(assetSelect.options, (option) => option.value).join()) return;
      const chosen = assetSelect.value;
      replace(assetSelect, priced.map((asset) => h('option', { value: String(asset.id) }, asset.symbol)));
      if (ids.includes(chosen)) assetSelect.value = chosen;
      runButton.disabled = ids.length === 0;
    },
  };
}

