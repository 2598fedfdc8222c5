/**
 * The risk dashboard: the system at a glance (riskApi.system), oracle prices, the lending markets (rates, utilization, caps), the lvUSD
 * books and collateral types, the backstop pools, the liquidation queue and running auctions,
 * all read at one block through the runtime APIs and redrawn at every new block; and the stress
 * test panel (stress.js).
 */

import { assetOf, priceMap } from './chain.js';
import { facts, h, replace, table } from './dom.js';
import {
  fixedToNumber, formatAmount, formatAmountShort, formatFixedPercent, formatNumber, formatPercent,
  formatPermill, formatUsd, shortAddress, unitsToNumber,
} from './format.js';
import { createStressPanel } from './stress.js';

/** Everything the dashboard shows, read at the block `hash`. */
export async function readDashboard(api, hash) {
  const at = await api.at(hash);
  const [summary, prices, markets, system, collateralTypes, backstopPools, queue, auctions] = await Promise.all([
    at.call.riskApi.system(),
    at.call.oracleApi.prices(),
    at.call.lendingApi.markets(),
    at.call.vaultsApi.system(),
    at.call.vaultsApi.collateralTypes(),
    at.call.liquidationApi.backstopPools(),
    at.call.liquidationApi.queue(),
    at.call.liquidationApi.auctions(),
  ]);
  return { summary, prices, markets, system, collateralTypes, backstopPools, queue, auctions };
}

/** A part of a whole as a bar with its percentage, e.g. for utilization and cap usage. */
function meter(fraction, label = formatPercent(fraction)) {
  const width = Math.max(0, Math.min(1, fraction)) * 100;
  const level = fraction >= 0.95 ? 'high' : fraction >= 0.8 ? 'mid' : 'low';
  return h('span', { class: 'meter' },
    h('span', { class: `meter-bar ${level}`, style: `width: ${width.toFixed(1)}%` }),
    h('span', { class: 'meter-label' }, label));
}

/** How much of a cap `used` takes, as a bar labelled e.g. "12.50% of 10M DOT". */
function usage(used, cap, asset) {
  const fraction = unitsToNumber(used, 0) / unitsToNumber(cap, 0);
  return meter(fraction, `${formatPercent(fraction)} of ${formatAmountShort(cap, asset)}`);
}

function statusBadge(text, good) {
  return h('span', { class: `badge ${good ? 'ok' : 'warn'}` }, text);
}

/**
 * The system at a glance (riskApi.system): value locked, debt, utilization, how concentrated
 * the collateral is, and the debt a 10% fall would put up for liquidation with the part the
 * backstop pools of the same assets could repay.
 */
function summarySection(data, assets) {
  if (data.summary.isErr) {
    return h('p', { class: 'error' }, `The summary failed: ${data.summary.asErr.toString()}`);
  }
  const summary = data.summary.asOk;
  const usd = (value) => formatUsd(fixedToNumber(value));
  const fall = formatPermill(summary.atRiskFall, 0);
  const coverage = summary.backstopCoverage.isSome
    ? meter(summary.backstopCoverage.unwrap().toNumber() / 1_000_000)
    : 'nothing at risk';
  const figures = facts([
    ['Value locked: the next three', usd(summary.valueLocked), 'valueLocked'],
    ['Lending supply', usd(summary.supplied), 'supplied'],
    ['Vault collateral', usd(summary.vaultCollateral), 'vaultCollateral'],
    ['Backstop deposits', usd(summary.backstop), 'backstop'],
    ['Debt: lending borrows and vault debt', usd(summary.debt), 'debt'],
    ['Lending borrows', usd(summary.borrowed), 'borrowed'],
    ['Lending utilization', meter(summary.utilization.toNumber() / 1_000_000), 'utilization'],
    ['Largest collateral share', formatPermill(summary.largestShare), 'largestShare'],
    [`At risk if collateral falls ${fall}`, `${summary.vaultsAtRisk.toNumber()} vaults, ${summary.accountsAtRisk.toNumber()} lending accounts`, 'atRisk'],
    ['Debt at risk', usd(summary.debtAtRisk), 'debtAtRisk'],
    ['Backstops could repay', usd(summary.covered), 'covered'],
    ['Backstop coverage', coverage, 'coverage'],
  ], { id: 'summary-facts' });
  const rows = summary.collateral.map((share) => {
    const asset = assetOf(assets, share.asset);
    return {
      attributes: { dataset: { asset: String(asset.id) } },
      cells: [
        h('strong', {}, asset.symbol),
        formatAmount(share.supplied, asset),
        formatAmount(share.inVaults, asset),
        usd(share.value),
        meter(share.share.toNumber() / 1_000_000),
      ],
    };
  });
  const shares = table([
    { label: 'Collateral' }, { label: 'Supplied to lending', numeric: true },
    { label: 'In vaults', numeric: true }, { label: 'Value', numeric: true, key: 'value' },
    { label: 'Share of all collateral', key: 'share' },
  ], rows, { attributes: { id: 'concentration-table' }, empty: 'No collateral yet' });
  const unpriced = summary.unpriced.length
    ? h('p', { class: 'muted' }, `Never priced, valued at nothing: ${summary.unpriced.map((id) => assetOf(assets, id).symbol).join(', ')}`)
    : null;
  return [figures, shares, unpriced];
}

function pricesSection(data, assets) {
  const rows = data.prices.map((info) => {
    const asset = assetOf(assets, info.asset);
    const price = info.price.isSome ? info.price.unwrap() : null;
    const pending = info.pending.isSome ? info.pending.unwrap() : null;
    return {
      attributes: { dataset: { asset: String(asset.id) } },
      cells: [
        asset.symbol,
        price ? formatUsd(fixedToNumber(price.value)) : 'never priced',
        info.ageMs.isSome ? `${formatNumber(info.ageMs.unwrap().toNumber() / 1000, 0)} s` : '—',
        price ? String(price.round.toNumber()) : '—',
        statusBadge(info.fresh.isTrue ? 'fresh' : 'stale', info.fresh.isTrue),
        info.frozen.isTrue ? statusBadge('frozen', false) : 'no',
        pending ? `${formatUsd(fixedToNumber(pending.value))} held (round ${pending.round.toNumber()})` : '—',
      ],
    };
  });
  return table([
    { label: 'Asset' }, { label: 'Price', numeric: true, key: 'price' }, { label: 'Age', numeric: true },
    { label: 'Round', numeric: true }, { label: 'Freshness', key: 'fresh' }, { label: 'Frozen' },
    { label: 'Circuit breaker' },
  ], rows, { attributes: { id: 'prices-table' } });
}

function marketsSection(data, assets, prices) {
  const rows = data.markets.map((market) => {
    const asset = { ...assetOf(assets, market.asset), decimals: market.decimals.toNumber() };
    const { params } = market;
    const supply = market.totalSupply.toBigInt();
    const borrows = market.totalBorrows.toBigInt();
    const supplyCap = params.supplyCap.toBigInt();
    const borrowCap = params.borrowCap.toBigInt();
    const price = prices.get(asset.id);
    return {
      attributes: { dataset: { asset: String(asset.id) } },
      cells: [
        [h('strong', {}, asset.symbol), ' ', statusBadge(market.status.type, market.status.isActive)],
        formatAmount(supply, asset),
        formatAmount(borrows, asset),
        formatAmount(market.cash, asset),
        meter(fixedToNumber(market.utilization)),
        formatFixedPercent(market.supplyApy),
        formatFixedPercent(market.borrowApy),
        `${formatPermill(params.collateralFactor, 0)} / ${formatPermill(market.liquidationThreshold, 0)}`,
        usage(supply, supplyCap, asset),
        usage(borrows, borrowCap, asset),
        price === null || price === undefined ? '—' : formatUsd(unitsToNumber(supply, asset.decimals) * price),
      ],
    };
  });
  return table([
    { label: 'Market' },
    { label: 'Total supply', numeric: true, key: 'supply' },
    { label: 'Borrows', numeric: true, key: 'borrows' },
    { label: 'Cash', numeric: true, key: 'cash' },
    { label: 'Utilization', key: 'utilization' },
    { label: 'Supply APY', numeric: true, key: 'supplyApy' },
    { label: 'Borrow APY', numeric: true, key: 'borrowApy' },
    { label: 'CF / LT', numeric: true },
    { label: 'Supply cap used', key: 'supplyCap' },
    { label: 'Borrow cap used', key: 'borrowCap' },
    { label: 'Supplied value', numeric: true, key: 'value' },
  ], rows, { attributes: { id: 'markets-table' }, empty: 'No markets' });
}

function lvusdSection(data, assets, prices, lvusd) {
  const { system } = data;
  const debt = system.totalDebt.toBigInt();
  const ceiling = system.globalDebtCeiling.toBigInt();
  const books = facts([
    ['lvUSD in circulation', formatAmount(system.issuance, lvusd), 'issuance'],
    ['Vault debt (fees included)', formatAmount(debt, lvusd), 'totalDebt'],
    ['Global debt ceiling used', usage(debt, ceiling, lvusd), 'ceiling'],
    ['Surplus', formatAmount(system.surplus, lvusd), 'surplus'],
    ['Deficit (bad debt)', formatAmount(system.deficit, lvusd), 'deficit'],
    ['Issued by the PSM', formatAmount(system.reserveBacked, lvusd), 'reserveBacked'],
    ['In the savings pot', formatAmount(system.savings, lvusd), 'savings'],
    ['Savings rate', `${formatFixedPercent(system.savingsRate)} a year`, 'savingsRate'],
  ], { id: 'lvusd-books' });
  const rows = data.collateralTypes.map((type) => {
    const asset = assetOf(assets, type.asset);
    const { params } = type;
    const typeDebt = type.totalDebt.toBigInt();
    const price = prices.get(asset.id);
    const debtUsd = unitsToNumber(typeDebt, lvusd.decimals);
    const ratio = price && debtUsd > 0 ? (unitsToNumber(type.totalCollateral, asset.decimals) * price) / debtUsd : null;
    const typeCeiling = params.debtCeiling.toBigInt();
    return {
      attributes: { dataset: { asset: String(asset.id) } },
      cells: [
        h('strong', {}, asset.symbol),
        statusBadge(type.status.type, type.status.isActive),
        formatAmount(type.totalCollateral, asset),
        formatAmount(typeDebt, lvusd),
        ratio === null ? '—' : formatPercent(ratio, 1),
        usage(typeDebt, typeCeiling, lvusd),
        [formatFixedPercent(params.liquidationRatio, 0), formatFixedPercent(params.targetRatio, 0), formatFixedPercent(params.wholeLiquidationRatio, 0)].join(' / '),
        formatFixedPercent(params.stabilityFee),
        formatPermill(params.liquidationPenalty, 0),
        formatAmountShort(params.minDebt, lvusd),
      ],
    };
  });
  const types = table([
    { label: 'Collateral' }, { label: 'Status' },
    { label: 'Collateral locked', numeric: true, key: 'collateral' },
    { label: 'Debt', numeric: true, key: 'debt' },
    { label: 'Collateralization', numeric: true, key: 'ratio' },
    { label: 'Debt ceiling used', key: 'ceiling' },
    { label: 'Liquidation / target / whole ratio', numeric: true },
    { label: 'Stability fee (yearly)', numeric: true },
    { label: 'Penalty', numeric: true },
    { label: 'Minimum debt', numeric: true },
  ], rows, { attributes: { id: 'collateral-types-table' }, empty: 'No collateral types' });
  return [books, types];
}

function gainText(assets, [gain, amount]) {
  if (gain.isTokens) return formatAmount(amount, assetOf(assets, gain.asTokens));
  const asset = assetOf(assets, gain.asSupply);
  return `${formatAmount(amount, asset)} supply shares`;
}

function backstopSection(data, assets) {
  const rows = data.backstopPools.map((pool) => {
    const asset = assetOf(assets, pool.asset);
    return {
      attributes: { dataset: { asset: String(asset.id) } },
      cells: [
        h('strong', {}, asset.symbol),
        formatAmount(pool.deposits, asset),
        formatAmount(pool.waiting, asset),
        pool.gains.length ? pool.gains.map((gain) => gainText(assets, gain)).join(', ') : 'none',
      ],
    };
  });
  return table([
    { label: 'Pool' }, { label: 'Deposits', numeric: true, key: 'deposits' },
    { label: 'Waiting to share', numeric: true }, { label: 'Collateral gains to pay out' },
  ], rows, { attributes: { id: 'backstop-table' }, empty: 'No backstop deposits yet' });
}

function queueSection(data, assets) {
  const rows = data.queue.map((item, index) => {
    if (item.isVault) {
      const { asset, owner } = item.asVault;
      return [String(index + 1), 'Vault', h('span', { title: owner.toString() }, shortAddress(owner)), assetOf(assets, asset).symbol];
    }
    const { account } = item.asLending;
    return [String(index + 1), 'Lending account', h('span', { title: account.toString() }, shortAddress(account)), '—'];
  });
  return table([{ label: '#' }, { label: 'Position' }, { label: 'Owner' }, { label: 'Collateral' }], rows,
    { attributes: { id: 'queue-table' }, empty: 'Nothing waiting: every unsafe position has been liquidated' });
}

function auctionsSection(data, assets, lvusd) {
  const rows = data.auctions.map((info) => {
    const { auction } = info;
    const asset = assetOf(assets, auction.asset);
    return [
      String(info.id.toNumber()),
      asset.symbol,
      h('span', { title: auction.owner.toString() }, shortAddress(auction.owner)),
      formatAmount(auction.lot, asset),
      formatAmount(auction.tab, lvusd),
      info.price.isSome ? `${formatNumber(fixedToNumber(info.price.unwrap()), 4)} lvUSD per ${asset.symbol}` : 'waiting for a fresh price',
      new Date(info.resetsAt.toNumber() * 1000).toLocaleTimeString(),
    ];
  });
  return table([
    { label: 'Id' }, { label: 'Collateral' }, { label: 'Vault owner' }, { label: 'Lot', numeric: true },
    { label: 'Tab', numeric: true }, { label: 'Price now', numeric: true }, { label: 'Resets at' },
  ], rows, { attributes: { id: 'auctions-table' }, empty: 'No auctions running' });
}

function card(title, id, description, ...content) {
  return h('section', { class: 'card', id },
    h('h2', {}, title), description ? h('p', { class: 'muted' }, description) : null, h('div', { class: 'card-body' }, content));
}

/**
 * Mounts the dashboard in `container`. Returns { refresh(hash, number) }, which reads every
 * figure at that block and redraws.
 */
export function createDashboard(container, app) {
  const { api, assets, lvusd } = app;
  const asOf = h('p', { class: 'as-of', id: 'dashboard-block' }, 'Reading the chain…');
  const summaryBody = h('div');
  const pricesBody = h('div');
  const marketsBody = h('div');
  const lvusdBody = h('div');
  const backstopBody = h('div');
  const queueBody = h('div');
  const auctionsBody = h('div');
  const stress = createStressPanel(app);
  replace(container,
    asOf,
    card('The system at a glance', 'summary', 'Values at the oracle\'s last prices (lvUSD at $1). At risk: what a fall of the collateral against the debt would make liquidatable; coverage: the part of that debt the backstop pool of the same asset holds.', summaryBody),
    card('Oracle prices', 'prices', 'The median of the validators\' price feeds; a stale price is shown but never used for risk.', pricesBody),
    card('Lending markets', 'markets', 'Interest accrued to this block. Utilization is borrows over supply; CF / LT are the collateral factor and the liquidation threshold in force.', marketsBody),
    card('lvUSD', 'lvusd', 'The stablecoin\'s books and its collateral types. Collateralization is the locked collateral at oracle prices over the debt.', lvusdBody),
    h('div', { class: 'columns' },
      card('Backstop pools', 'backstop', 'Deposits that repay liquidated debt first and receive the collateral at the liquidation discount.', backstopBody),
      card('Liquidation queue', 'queue', 'Unsafe positions found and waiting for the engine, oldest first.', queueBody)),
    card('Auctions', 'auctions', 'Dutch auctions of collateral the backstop and the AMM could not take.', auctionsBody),
    stress.element);

  return {
    async refresh(hash, number) {
      const data = await readDashboard(api, hash);
      const prices = priceMap(data.prices);
      replace(summaryBody, summarySection(data, assets));
      replace(pricesBody, pricesSection(data, assets));
      replace(marketsBody, marketsSection(data, assets, prices));
      replace(lvusdBody, lvusdSection(data, assets, prices, lvusd));
      replace(backstopBody, backstopSection(data, assets));
      replace(queueBody, queueSection(data, assets));
      replace(auctionsBody, auctionsSection(data, assets, lvusd));
      asOf.dataset.block = String(number);
      replace(asOf, `Figures as of block #${number.toLocaleString('en-US')}`);
      stress.setAssets(data.prices);
    },
  };
}
