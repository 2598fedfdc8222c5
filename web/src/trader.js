/**
 * The trader view: one account's wallet, lending position (supply, collateral and debt per
 * market, borrow limit, health factor and liquidation prices) and vaults, read at every new
 * block; and its actions: supply, withdraw, borrow and repay in the lending markets, open, deposit,
 * withdraw, mint, repay and close a vault, one-click lever up and lever down, each previewed
 * by leverageApi before it can be signed, and protective auto-deleverage: the positions the
 * account protects, with their ratios now, and a form to protect one or stop.
 *
 * Accounts are the dev accounts on a dev chain (signed in the page) and the browser
 * extension's accounts (signed by the extension).
 */

import { devAccounts, extensionAccounts } from './accounts.js';
import { assetOf, describeDispatchError, priceMap, submit } from './chain.js';
import { facts, field, h, replace, table } from './dom.js';
import {
  FIXED_ONE, fixedToNumber, formatAmount, formatFixedPercent, formatNumber, formatPermill, formatUsd,
  optionFixed, parseFixed, parsePercentToPermill, parseUnits, unitsToNumber,
} from './format.js';

const STORED_ACCOUNT = 'lever.account';

/** A health factor as text with its risk level, e.g. { text: '1.234', level: 'ok' }. */
export function healthLevel(value) {
  if (value === null) return { text: 'no debt', level: 'none' };
  const level = value < 1 ? 'liquidatable' : value < 1.1 ? 'danger' : value < 1.5 ? 'warn' : 'ok';
  return { text: formatNumber(value, 3), level };
}

function healthBadge(value, id) {
  const { text, level } = healthLevel(value);
  return h('span', { class: `health ${level}`, id, dataset: { value: value === null ? '' : String(value) } }, text);
}

function card(title, id, ...content) {
  return h('section', { class: 'card', id }, h('h2', {}, title), content);
}

function button(text, id, onClick, cls = '') {
  return h('button', { type: 'button', id, class: cls || null, onClick }, text);
}

/** Mounts the trader view in `container`; returns { refresh(hash, number), ready }. */
export function createTrader(container, app) {
  const { api, assets, lvusd, log } = app;
  let accounts = [];
  let account = null;
  let markets = [];
  let collateralTypes = [];
  let lastHash = null;

  const accountSelect = h('select', { id: 'account-select' });
  const extensionButton = button('Connect browser extension', 'connect-extension', connectExtension);
  const accountNote = h('p', { class: 'muted', id: 'account-note' });
  const walletBody = h('div');
  const lendingBody = h('div');
  const vaultsBody = h('div');
  const positionsBlock = h('p', { class: 'as-of', id: 'trader-block' }, 'Pick an account.');

  const lendingAsset = h('select', { id: 'lending-asset' });
  const lendingAmount = h('input', { id: 'lending-amount', type: 'text', inputmode: 'decimal', placeholder: '0.0' });
  const lendingAll = h('input', { id: 'lending-all', type: 'checkbox' });

  const vaultAsset = h('select', { id: 'vault-asset' });
  const vaultCollateral = h('input', { id: 'vault-collateral', type: 'text', inputmode: 'decimal', placeholder: '0.0' });
  const vaultLvusd = h('input', { id: 'vault-lvusd', type: 'text', inputmode: 'decimal', placeholder: '0.0' });
  const vaultAll = h('input', { id: 'vault-all', type: 'checkbox' });

  const upCollateral = h('select', { id: 'up-collateral' });
  const upDebt = h('select', { id: 'up-debt' });
  const upDeposit = h('input', { id: 'up-deposit', type: 'text', inputmode: 'decimal', value: '0' });
  const upTarget = h('input', { id: 'up-target', type: 'text', inputmode: 'decimal', value: '2' });
  const upSlippage = h('input', { id: 'up-slippage', type: 'text', inputmode: 'decimal', value: '1' });
  const upMinHealth = h('input', { id: 'up-min-health', type: 'text', inputmode: 'decimal', value: '1.05' });
  const upPreview = h('div', { class: 'preview', id: 'up-preview' }, 'Fill in the lever-up to preview it.');
  const upSign = button('Sign and lever up', 'up-sign', () => signLever('up'), 'primary');

  const downCollateral = h('select', { id: 'down-collateral' });
  const downDebt = h('select', { id: 'down-debt' });
  const downRepay = h('input', { id: 'down-repay', type: 'text', inputmode: 'decimal', placeholder: '0.0' });
  const downAll = h('input', { id: 'down-all', type: 'checkbox', checked: true });
  const downSlippage = h('input', { id: 'down-slippage', type: 'text', inputmode: 'decimal', value: '1' });
  const downMinHealth = h('input', { id: 'down-min-health', type: 'text', inputmode: 'decimal', value: '1.05' });
  const downPreview = h('div', { class: 'preview', id: 'down-preview' }, 'Fill in the lever-down to preview it.');
  const downSign = button('Sign and lever down', 'down-sign', () => signLever('down'), 'primary');

  const protectKind = h('select', { id: 'protect-kind' },
    h('option', { value: 'vault' }, 'Vault'), h('option', { value: 'lending' }, 'Lending pair'));
  const protectVault = h('select', { id: 'protect-vault' });
  const protectCollateral = h('select', { id: 'protect-collateral' });
  const protectDebt = h('select', { id: 'protect-debt' });
  const protectTrigger = h('input', { id: 'protect-trigger', type: 'text', inputmode: 'decimal', value: '1.7' });
  const protectTarget = h('input', { id: 'protect-target', type: 'text', inputmode: 'decimal', value: '2' });
  const protectSlippage = h('input', { id: 'protect-slippage', type: 'text', inputmode: 'decimal', value: '2' });
  const protectionsBody = h('div', { id: 'protections' });
  const protectTerms = h('p', { class: 'muted', id: 'protect-terms' });

  /** The previews on screen, with the exact request each was computed for. */
  const previews = { up: null, down: null };
  upSign.disabled = true;
  downSign.disabled = true;

  replace(container,
    card('Account', 'account',
      h('div', { class: 'controls' }, field('Act as', accountSelect), extensionButton),
      accountNote),
    positionsBlock,
    h('div', { class: 'columns' },
      card('Wallet', 'wallet', walletBody),
      card('Vaults', 'vaults', vaultsBody)),
    card('Lending position', 'lending', lendingBody),
    card('One-click leverage', 'leverage',
      h('p', { class: 'muted' }, 'Lever a lending position up or down in one transaction: a flash loan, a borrow and an oracle-checked swap. The preview runs the real call against the latest block and undoes it; the button signs exactly what is previewed.'),
      h('div', { class: 'columns' },
        h('div', { class: 'form', id: 'lever-up' },
          h('h3', {}, 'Lever up'),
          h('div', { class: 'controls' },
            field('Exposure to (collateral)', upCollateral),
            field('Borrow (debt)', upDebt),
            field('Deposit from wallet', upDeposit, 'in the collateral asset; 0 to lever what is supplied'),
            field('Target leverage', upTarget, 'collateral value ÷ equity, e.g. 3'),
            field('Max slippage %', upSlippage, 'against the oracle, at most the governance cap'),
            field('Minimum health factor', upMinHealth)),
          upPreview, upSign),
        h('div', { class: 'form', id: 'lever-down' },
          h('h3', {}, 'Lever down'),
          h('div', { class: 'controls' },
            field('Collateral', downCollateral),
            field('Debt', downDebt),
            field('Repay', downRepay, 'in the debt asset'),
            h('label', { class: 'check' }, downAll, 'Repay all and unwind'),
            field('Max slippage %', downSlippage),
            field('Minimum health factor', downMinHealth, 'while debt remains')),
          downPreview, downSign))),
    card('Auto-deleverage', 'protection',
      protectTerms,
      protectionsBody,
      h('div', { class: 'form', id: 'protect-form' },
        h('div', { class: 'controls' },
          field('Position', protectKind),
          field('Vault', protectVault),
          field('Collateral sold', protectCollateral, 'lending pair'),
          field('Debt repaid', protectDebt, 'lending pair'),
          field('Trigger', protectTrigger, 'collateral ratio (vault, above its liquidation ratio) or health factor (above 1), e.g. 1.7'),
          field('Target', protectTarget, 'the ratio a deleverage restores, above the trigger'),
          field('Max slippage %', protectSlippage, 'against the oracle, at most the governance cap')),
        h('div', { class: 'buttons' },
          button('Sign and protect', 'protect-sign', protectPosition, 'primary')))),
    h('div', { class: 'columns' },
      card('Lend and borrow', 'lending-actions',
        h('div', { class: 'controls' },
          field('Market', lendingAsset),
          field('Amount', lendingAmount),
          h('label', { class: 'check' }, lendingAll, 'All (withdraw or repay everything)')),
        h('div', { class: 'buttons' },
          button('Supply', 'lending-supply', () => lendingAction('supply')),
          button('Withdraw', 'lending-withdraw', () => lendingAction('withdraw')),
          button('Borrow', 'lending-borrow', () => lendingAction('borrow')),
          button('Repay', 'lending-repay', () => lendingAction('repay')))),
      card('Vault', 'vault-actions',
        h('div', { class: 'controls' },
          field('Collateral type', vaultAsset),
          field('Collateral amount', vaultCollateral, 'to open with, deposit or withdraw'),
          field('lvUSD amount', vaultLvusd, 'to mint or repay'),
          h('label', { class: 'check' }, vaultAll, 'All (withdraw or repay everything)')),
        h('div', { class: 'buttons' },
          button('Open', 'vault-open', () => vaultAction('open')),
          button('Deposit', 'vault-deposit', () => vaultAction('deposit')),
          button('Withdraw', 'vault-withdraw', () => vaultAction('withdraw')),
          button('Mint lvUSD', 'vault-mint', () => vaultAction('mint')),
          button('Repay lvUSD', 'vault-repay', () => vaultAction('repay')),
          button('Close', 'vault-close', () => vaultAction('close'))))));

  function assetOptions(ids) {
    return ids.map((id) => [id, assetOf(assets, id).symbol]);
  }

  /** Offers `ids` in `element`, keeping the choice; rebuilt only when the list changes. */
  function fillSelect(element, ids, preferred) {
    const wanted = ids.map(String);
    const present = Array.from(element.options, (option) => option.value);
    if (wanted.join() === present.join()) return;
    const current = element.value || String(preferred ?? '');
    replace(element, assetOptions(ids).map(([value, text]) => h('option', { value: String(value) }, text)));
    element.value = wanted.includes(current) ? current : (wanted[0] ?? '');
  }

  function populateAccounts() {
    const groups = [
      ['Dev accounts', accounts.filter((entry) => entry.source === 'dev')],
      ['Browser extension', accounts.filter((entry) => entry.source !== 'dev')],
    ].filter(([, list]) => list.length);
    replace(accountSelect,
      h('option', { value: '' }, 'Choose an account…'),
      groups.map(([label, list]) => h('optgroup', { label },
        list.map((entry) => h('option', { value: entry.address, selected: account?.address === entry.address }, `${entry.name} (${entry.address.slice(0, 8)}…)`)))));
  }

  async function connectExtension() {
    extensionButton.disabled = true;
    try {
      const found = await extensionAccounts(api);
      if (found.length === 0) {
        log.note('No browser extension answered, or it shares no account with this page.');
        return;
      }
      const known = new Set(accounts.map((entry) => entry.address));
      accounts = [...accounts, ...found.filter((entry) => !known.has(entry.address))];
      populateAccounts();
      log.note(`The browser extension shares ${found.length} account${found.length === 1 ? '' : 's'}.`);
    } catch (error) {
      log.note(`The browser extension could not be reached: ${error.message}`);
    } finally {
      extensionButton.disabled = false;
    }
  }

  function chooseAccount(address) {
    account = accounts.find((entry) => entry.address === address) ?? null;
    if (account) window.localStorage.setItem(STORED_ACCOUNT, account.address);
    replace(accountNote, account
      ? [h('span', {}, 'Address '), h('code', { id: 'account-address' }, account.address),
        account.source === 'dev' ? ' — a public dev key, signed in this page' : ` — signed by ${account.source}`]
      : 'No account chosen.');
    previews.up = null;
    previews.down = null;
    if (lastHash) refreshAccount(lastHash).catch((error) => log.note(`Reading the account failed: ${error.message}`));
    updatePreview('up');
    updatePreview('down');
  }
  accountSelect.addEventListener('change', () => chooseAccount(accountSelect.value));

  function walletSection(data, prices) {
    const rows = [];
    const native = assets.get('native');
    rows.push({ attributes: { dataset: { asset: 'native' } }, cells: [native.symbol, formatAmount(data.native, native), '—'] });
    for (const [id, balance] of data.balances) {
      if (balance === 0n) continue;
      const asset = assetOf(assets, id);
      const price = id === lvusd.id ? 1 : prices.get(id);
      rows.push({
        attributes: { dataset: { asset: String(id) } },
        cells: [asset.symbol, formatAmount(balance, asset), price === undefined || price === null ? '—' : formatUsd(unitsToNumber(balance, asset.decimals) * price)],
      });
    }
    return table([{ label: 'Asset' }, { label: 'Balance', numeric: true, key: 'balance' }, { label: 'Value', numeric: true }],
      rows, { attributes: { id: 'wallet-table' } });
  }

  function lendingSection(data, prices) {
    const { position, liquidationPrices } = data;
    const liquidationAt = new Map(liquidationPrices.lending.map(([asset, price]) => [asset.toNumber(), price.isSome ? fixedToNumber(price.unwrap()) : null]));
    const rows = position.markets.map((entry) => {
      const asset = assetOf(assets, entry.asset);
      const price = prices.get(asset.id);
      const liquidation = liquidationAt.get(asset.id);
      return {
        attributes: { dataset: { asset: String(asset.id) } },
        cells: [
          h('strong', {}, asset.symbol),
          formatAmount(entry.supplied, asset),
          entry.collateral.isTrue ? 'yes' : 'no',
          formatAmount(entry.borrowed, asset),
          price === null || price === undefined ? '—' : formatUsd(unitsToNumber(entry.supplied, asset.decimals) * price - unitsToNumber(entry.borrowed, asset.decimals) * price),
          liquidation === undefined ? '—' : liquidation === null ? 'no single fall' : formatUsd(liquidation),
          entry.supplied.toBigInt() > 0n
            ? button(entry.collateral.isTrue ? 'Stop using as collateral' : 'Use as collateral', `collateral-${asset.id}`,
              () => run(`${entry.collateral.isTrue ? 'Disable' : 'Enable'} ${asset.symbol} as collateral`,
                () => (entry.collateral.isTrue ? api.tx.lending.disableCollateral(asset.id) : api.tx.lending.enableCollateral(asset.id))), 'small')
            : '',
        ],
      };
    });
    const positions = table([
      { label: 'Market' }, { label: 'Supplied', numeric: true, key: 'supplied' }, { label: 'Collateral', key: 'collateral' },
      { label: 'Borrowed', numeric: true, key: 'borrowed' }, { label: 'Net value', numeric: true },
      { label: 'Liquidated below', numeric: true, key: 'liquidationPrice' }, { label: '' },
    ], rows, { attributes: { id: 'lending-table' }, empty: 'No supply and no debt' });
    const health = optionFixed(position.healthFactor);
    const summary = position.liquidity.isOk
      ? (() => {
        const liquidity = position.liquidity.asOk;
        const debt = fixedToNumber(liquidity.debtValue);
        const limit = fixedToNumber(liquidity.borrowLimit);
        return facts([
          ['Collateral value', formatUsd(fixedToNumber(liquidity.collateralValue)), 'collateralValue'],
          ['Debt value', formatUsd(debt), 'debtValue'],
          ['Borrow limit', `${formatUsd(limit)}${limit > 0 ? ` (${formatNumber((debt / limit) * 100, 1)}% used)` : ''}`, 'borrowLimit'],
          ['Liquidation limit', formatUsd(fixedToNumber(liquidity.liquidationLimit)), 'liquidationLimit'],
          ['Health factor', healthBadge(health, 'health-factor'), 'healthFactor'],
        ], { id: 'lending-summary' });
      })()
      : h('p', { class: 'error' }, `The position cannot be valued: ${position.liquidity.asErr.type} ${position.liquidity.asErr.value?.toString() ?? ''}`);
    return [positions, summary];
  }

  function vaultsSection(data) {
    const typeOf = new Map(collateralTypes.map((type) => [type.asset.toNumber(), type]));
    const rows = data.vaults.map((vault) => {
      const asset = assetOf(assets, vault.asset);
      const type = typeOf.get(asset.id);
      return {
        attributes: { dataset: { asset: String(asset.id) } },
        cells: [
          h('strong', {}, asset.symbol),
          formatAmount(vault.collateral, asset),
          formatAmount(vault.debt, lvusd),
          vault.collateralRatio.isSome ? formatFixedPercent(vault.collateralRatio.unwrap(), 1) : '—',
          type ? formatFixedPercent(type.params.liquidationRatio, 0) : '—',
          vault.liquidationPrice.isSome ? formatUsd(fixedToNumber(vault.liquidationPrice.unwrap())) : '—',
        ],
      };
    });
    return table([
      { label: 'Collateral' }, { label: 'Locked', numeric: true, key: 'collateral' }, { label: 'Debt', numeric: true, key: 'debt' },
      { label: 'Ratio', numeric: true, key: 'ratio' }, { label: 'Liquidation ratio', numeric: true },
      { label: 'Liquidated below', numeric: true, key: 'liquidationPrice' },
    ], rows, { attributes: { id: 'vaults-table' }, empty: 'No vaults' });
  }

  /** The protected position `position` (codec) as { key, label, position } for the tables and calls. */
  function describePosition(position) {
    if (position.isVault) {
      const asset = assetOf(assets, position.asVault);
      return { key: `vault-${asset.id}`, label: `${asset.symbol} vault`, call: { Vault: asset.id } };
    }
    const { collateral, debt } = position.asLending;
    const [c, d] = [assetOf(assets, collateral), assetOf(assets, debt)];
    return { key: `lending-${c.id}-${d.id}`, label: `${c.symbol} → ${d.symbol} lending`, call: { Lending: { collateral: c.id, debt: d.id } } };
  }

  function protectionsSection(data) {
    const vaultRatio = new Map(data.vaults.map((vault) => [vault.asset.toNumber(), optionFixed(vault.collateralRatio)]));
    const health = optionFixed(data.position.healthFactor);
    const rows = data.protections.map((entry) => {
      const { key, label, call } = describePosition(entry.position);
      const now = entry.position.isVault ? vaultRatio.get(entry.position.asVault.toNumber()) ?? null : health;
      const trigger = fixedToNumber(entry.settings.trigger);
      return {
        attributes: { dataset: { position: key } },
        cells: [
          h('strong', {}, label),
          now === null ? '—' : formatNumber(now, 3),
          formatNumber(trigger, 3),
          formatNumber(fixedToNumber(entry.settings.target), 3),
          formatPermill(entry.settings.maxSlippage, 2),
          now !== null && now < trigger ? h('span', { class: 'health danger' }, 'below trigger') : 'watching',
          button('Stop', `unprotect-${key}`, () => run(`Stop protecting the ${label}`, () => api.tx.leverage.unprotect(call)), 'small'),
        ],
      };
    });
    return table([
      { label: 'Position' }, { label: 'Ratio now', numeric: true, key: 'ratio' }, { label: 'Trigger', numeric: true, key: 'trigger' },
      { label: 'Target', numeric: true, key: 'target' }, { label: 'Max slippage', numeric: true }, { label: 'State', key: 'state' }, { label: '' },
    ], rows, { attributes: { id: 'protections-table' }, empty: 'No protected positions' });
  }

  /** The protection the form describes, or throws what is wrong with it. */
  function protectionRequest() {
    const position = protectKind.value === 'vault'
      ? { Vault: Number(protectVault.value) }
      : { Lending: { collateral: Number(protectCollateral.value), debt: Number(protectDebt.value) } };
    if (position.Lending && position.Lending.collateral === position.Lending.debt) {
      throw new Error('the collateral and the debt must be different assets');
    }
    const trigger = parseFixed(protectTrigger.value);
    const target = parseFixed(protectTarget.value);
    if (target <= trigger) throw new Error('the target must be above the trigger');
    return { position, trigger, target, maxSlippage: parsePercentToPermill(protectSlippage.value) };
  }

  function protectPosition() {
    let request;
    try {
      request = protectionRequest();
    } catch (error) {
      log.note(`Protect: ${error.message}`);
      return null;
    }
    const label = request.position.Vault !== undefined
      ? `${assetOf(assets, request.position.Vault).symbol} vault`
      : `${assetOf(assets, request.position.Lending.collateral).symbol} → ${assetOf(assets, request.position.Lending.debt).symbol} lending`;
    return run(`Protect the ${label}: trigger ${protectTrigger.value}, target ${protectTarget.value}`,
      () => api.tx.leverage.protect(request.position, request.trigger, request.target, request.maxSlippage));
  }

  function showProtectKind() {
    const vault = protectKind.value === 'vault';
    protectVault.closest('label').style.display = vault ? '' : 'none';
    protectCollateral.closest('label').style.display = vault ? 'none' : '';
    protectDebt.closest('label').style.display = vault ? 'none' : '';
  }
  protectKind.addEventListener('change', showProtectKind);
  showProtectKind();

  {
    const native = assets.get('native');
    const fee = api.consts.leverage.protectionFee;
    const deposit = api.consts.leverage.protectionDeposit;
    replace(protectTerms, `When the chain finds a protected position below its trigger (its offchain sweep, each block) or about to be liquidated, it sells just enough collateral on the AMM, within your slippage of the oracle, to repay debt back to your target, for a fee of ${formatPermill(fee, 2)} of the debt repaid, paid in collateral (the flash loan's fee included), beyond the pool's own fee and price impact. If it cannot, liquidation stays the backstop. Each protection holds ${formatAmount(deposit, native)} until you stop it.`);
  }

  async function readAccount(hash, address) {
    const at = await api.at(hash);
    const assetIds = [...assets.keys()].filter((id) => id !== 'native');
    const [system, holdings, position, vaults, liquidationPrices, prices, protections] = await Promise.all([
      at.query.system.account(address),
      at.query.assets.account.multi(assetIds.map((id) => [id, address])),
      at.call.lendingApi.account(address),
      at.call.vaultsApi.vaults(address),
      at.call.liquidationApi.liquidationPrices(address),
      at.call.oracleApi.prices(),
      at.query.leverage.protections(address),
    ]);
    return {
      native: system.data.free.toBigInt(),
      balances: assetIds.map((id, index) => [id, holdings[index].isSome ? holdings[index].unwrap().balance.toBigInt() : 0n]),
      position, vaults, liquidationPrices, prices: priceMap(prices), protections,
    };
  }

  async function refreshAccount(hash, number) {
    if (!account) {
      replace(walletBody);
      replace(lendingBody);
      replace(vaultsBody);
      replace(protectionsBody);
      return;
    }
    const address = account.address;
    const data = await readAccount(hash, address);
    if (account?.address !== address) return;
    replace(walletBody, walletSection(data, data.prices));
    replace(lendingBody, lendingSection(data, data.prices));
    replace(vaultsBody, vaultsSection(data));
    replace(protectionsBody, protectionsSection(data));
    if (number !== undefined) {
      positionsBlock.dataset.block = String(number);
      replace(positionsBlock, `Positions as of block #${number.toLocaleString('en-US')}`);
    }
  }

  /** Signs and submits the transaction `build()` returns, logging its progress under `label`. */
  async function run(label, build) {
    if (!account) {
      log.note('Choose an account first.');
      return null;
    }
    let tx;
    try {
      tx = build();
    } catch (error) {
      log.note(`${label}: ${error.message}`);
      return null;
    }
    const entry = log.start(label);
    try {
      const result = await submit(api, tx, account, (step) => entry.update(step));
      entry.succeed(`in block #${result.blockNumber.toLocaleString('en-US')}`);
      return result;
    } catch (error) {
      entry.fail(error.message);
      return null;
    }
  }

  function amountIn(input, assetId) {
    return parseUnits(input.value, assetOf(assets, assetId).decimals);
  }

  function lendingAction(kind) {
    const assetId = Number(lendingAsset.value);
    const { symbol } = assetOf(assets, assetId);
    const all = lendingAll.checked && (kind === 'withdraw' || kind === 'repay');
    const verb = kind[0].toUpperCase() + kind.slice(1);
    return run(`${verb} ${all ? 'all' : lendingAmount.value} ${symbol}`, () => {
      const amount = all ? 'All' : amountIn(lendingAmount, assetId);
      if (kind === 'supply') return api.tx.lending.supply(assetId, amount);
      if (kind === 'borrow') return api.tx.lending.borrow(assetId, amount);
      if (kind === 'withdraw') return api.tx.lending.withdraw(assetId, all ? 'All' : { Amount: amount });
      return api.tx.lending.repay(assetId, all ? 'All' : { Amount: amount });
    });
  }

  function vaultAction(kind) {
    const assetId = Number(vaultAsset.value);
    const { symbol } = assetOf(assets, assetId);
    const all = vaultAll.checked;
    const labels = {
      open: `Open a ${symbol} vault with ${vaultCollateral.value} ${symbol}`,
      deposit: `Deposit ${vaultCollateral.value} ${symbol} in the vault`,
      withdraw: `Withdraw ${all ? 'all' : vaultCollateral.value} ${symbol} from the vault`,
      mint: `Mint ${vaultLvusd.value} ${lvusd.symbol} against ${symbol}`,
      repay: `Repay ${all ? 'all' : vaultLvusd.value} ${lvusd.symbol} of the ${symbol} vault`,
      close: `Close the ${symbol} vault`,
    };
    return run(labels[kind], () => {
      if (kind === 'open') return api.tx.vaults.open(assetId, amountIn(vaultCollateral, assetId));
      if (kind === 'deposit') return api.tx.vaults.deposit(assetId, amountIn(vaultCollateral, assetId));
      if (kind === 'withdraw') return api.tx.vaults.withdraw(assetId, all ? 'All' : { Amount: amountIn(vaultCollateral, assetId) });
      if (kind === 'mint') return api.tx.vaults.mint(assetId, amountIn(vaultLvusd, lvusd.id));
      if (kind === 'repay') return api.tx.vaults.repay(assetId, all ? 'All' : { Amount: amountIn(vaultLvusd, lvusd.id) });
      return api.tx.vaults.close(assetId);
    });
  }

  /** The lever-up or lever-down request the form describes, or throws what is wrong with it. */
  function leverRequest(side) {
    if (side === 'up') {
      const collateral = Number(upCollateral.value);
      const debt = Number(upDebt.value);
      if (collateral === debt) throw new Error('the collateral and the debt must be different assets');
      const target = parseFixed(upTarget.value);
      if (target <= FIXED_ONE) throw new Error('the target leverage must be above 1');
      return {
        collateral, debt,
        deposit: amountIn(upDeposit, collateral),
        target,
        maxSlippage: parsePercentToPermill(upSlippage.value),
        minHealth: parseFixed(upMinHealth.value),
      };
    }
    const collateral = Number(downCollateral.value);
    const debt = Number(downDebt.value);
    if (collateral === debt) throw new Error('the collateral and the debt must be different assets');
    return {
      collateral, debt,
      repay: downAll.checked ? 'All' : { Amount: amountIn(downRepay, debt) },
      maxSlippage: parsePercentToPermill(downSlippage.value),
      minHealth: parseFixed(downMinHealth.value),
    };
  }

  function requestKey(request) {
    return JSON.stringify(request, (key, value) => (typeof value === 'bigint' ? value.toString() : value));
  }

  function positionFacts(position, collateral, debt, minHealth) {
    const health = optionFixed(position.healthFactor);
    const leverage = optionFixed(position.leverage);
    const liquidation = optionFixed(position.liquidationPrice);
    const belowMinimum = health !== null && health < fixedToNumber(minHealth);
    return [
      ['Collateral supplied after', formatAmount(position.collateral, collateral), 'collateral'],
      ['Debt after', formatAmount(position.debt, debt), 'debt'],
      ['Leverage after', leverage === null ? '—' : `${formatNumber(leverage, 3)}×`, 'leverage'],
      ['Health factor after', [healthBadge(health, null), belowMinimum ? h('span', { class: 'error' }, ' below your minimum: the call would fail') : null], 'healthFactor'],
      [`Liquidated if ${collateral.symbol} falls below`, liquidation === null ? '—' : formatUsd(liquidation), 'liquidationPrice'],
    ];
  }

  const previewRuns = { up: 0, down: 0 };

  /** Asks leverageApi for a preview of the form's request and shows it; enables signing on success. */
  async function updatePreview(side) {
    const target = side === 'up' ? upPreview : downPreview;
    const sign = side === 'up' ? upSign : downSign;
    const runId = ++previewRuns[side];
    if (!account) {
      previews[side] = null;
      sign.disabled = true;
      replace(target, 'Choose an account to preview.');
      return;
    }
    let request;
    try {
      request = leverRequest(side);
    } catch (error) {
      previews[side] = null;
      sign.disabled = true;
      replace(target, h('span', { class: 'muted' }, `Preview: ${error.message}.`));
      return;
    }
    if (previews[side]?.key !== requestKey(request)) {
      previews[side] = null;
      sign.disabled = true;
    }
    const collateral = assetOf(assets, request.collateral);
    const debt = assetOf(assets, request.debt);
    try {
      const result = side === 'up'
        ? await api.call.leverageApi.previewLeverUp(account.address, request.collateral, request.debt,
          request.deposit, { Leverage: request.target }, request.maxSlippage)
        : await api.call.leverageApi.previewLeverDown(account.address, request.collateral, request.debt,
          request.repay, request.maxSlippage);
      if (runId !== previewRuns[side]) return;
      if (result.isErr) {
        previews[side] = null;
        sign.disabled = true;
        replace(target, h('p', { class: 'error', dataset: { state: 'error' } }, `The chain would refuse it: ${describeDispatchError(api, result.asErr)}`));
        return;
      }
      const { outcome, position } = result.asOk;
      const rows = side === 'up'
        ? [
          ['Supplied (deposit and flash loan)', formatAmount(outcome.supplied, collateral), 'supplied'],
          ['Borrowed', formatAmount(outcome.borrowed, debt), 'borrowed'],
          ['Flash loan fee', formatAmount(outcome.flashFee, collateral), 'flashFee'],
          ['Price impact (pool fee included)', formatPermill(outcome.priceImpact, 3), 'priceImpact'],
        ]
        : [
          ['Repaid', formatAmount(outcome.repaid, debt), 'repaid'],
          ['Collateral sold', formatAmount(outcome.sold, collateral), 'sold'],
          ['Returned to the wallet', formatAmount(outcome.returned, collateral), 'returned'],
          ['Flash loan fee', formatAmount(outcome.flashFee, debt), 'flashFee'],
          ['Price impact (pool fee included)', formatPermill(outcome.priceImpact, 3), 'priceImpact'],
        ];
      previews[side] = { key: requestKey(request), request };
      replace(target,
        h('p', { class: 'preview-title', dataset: { state: 'ok' } }, 'Preview against the latest block:'),
        facts([...rows, ...positionFacts(position, collateral, debt, request.minHealth)], { id: `${side}-preview-facts` }));
      sign.disabled = false;
    } catch (error) {
      if (runId !== previewRuns[side]) return;
      previews[side] = null;
      sign.disabled = true;
      replace(target, h('p', { class: 'error' }, `The preview failed: ${error.message}`));
    }
  }

  async function signLever(side) {
    const shown = previews[side];
    let request;
    try {
      request = leverRequest(side);
    } catch (error) {
      log.note(error.message);
      return;
    }
    if (!shown || shown.key !== requestKey(request)) {
      log.note('The form changed since the preview; check the new preview, then sign.');
      updatePreview(side);
      return;
    }
    const collateral = assetOf(assets, request.collateral);
    const debt = assetOf(assets, request.debt);
    const label = side === 'up'
      ? `Lever ${collateral.symbol} up to ${fixedToNumber(request.target)}× against ${debt.symbol}`
      : `Lever ${collateral.symbol} down, repaying ${request.repay === 'All' ? 'all' : formatAmount(request.repay.Amount, debt)}`;
    (side === 'up' ? upSign : downSign).disabled = true;
    await run(label, () => (side === 'up'
      ? api.tx.leverage.leverUp(request.collateral, request.debt, request.deposit, { Leverage: request.target },
        request.maxSlippage, request.minHealth)
      : api.tx.leverage.leverDown(request.collateral, request.debt, request.repay, request.maxSlippage, request.minHealth)));
    updatePreview(side);
  }

  for (const input of [upCollateral, upDebt, upDeposit, upTarget, upSlippage, upMinHealth]) {
    input.addEventListener('input', () => updatePreview('up'));
  }
  for (const input of [downCollateral, downDebt, downRepay, downAll, downSlippage, downMinHealth]) {
    input.addEventListener('input', () => updatePreview('down'));
  }
  downAll.addEventListener('change', () => updatePreview('down'));

  const ready = (async () => {
    accounts = await devAccounts(api);
    const remembered = window.localStorage.getItem(STORED_ACCOUNT);
    populateAccounts();
    if (accounts.length === 0) {
      replace(accountNote, 'This is not a dev chain: connect the browser extension to choose an account.');
    } else if (remembered && accounts.some((entry) => entry.address === remembered)) {
      accountSelect.value = remembered;
      chooseAccount(remembered);
    } else {
      replace(accountNote, 'No account chosen.');
    }
  })();

  return {
    ready,
    async refresh(hash, number) {
      lastHash = hash;
      const at = await api.at(hash);
      const [marketInfos, types] = await Promise.all([at.call.lendingApi.markets(), at.call.vaultsApi.collateralTypes()]);
      markets = marketInfos.map((market) => market.asset.toNumber());
      collateralTypes = types;
      const vaultIds = types.map((type) => type.asset.toNumber());
      fillSelect(lendingAsset, markets);
      fillSelect(vaultAsset, vaultIds);
      fillSelect(upCollateral, markets, markets[0]);
      fillSelect(upDebt, markets, markets[markets.length - 1]);
      fillSelect(downCollateral, markets, markets[0]);
      fillSelect(downDebt, markets, markets[markets.length - 1]);
      fillSelect(protectVault, vaultIds);
      fillSelect(protectCollateral, markets, markets[0]);
      fillSelect(protectDebt, markets, markets[markets.length - 1]);
      await refreshAccount(hash, number);
      updatePreview('up');
      updatePreview('down');
    },
  };
}
