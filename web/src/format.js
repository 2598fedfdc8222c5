/**
 * Number formatting and parsing for the web app: on-chain amounts (integers in an asset's
 * smallest unit) shown with their decimals and symbol, FixedU128 values (18 decimals) as
 * dollars, percentages and ratios, Permill values (millionths) as percentages, and amounts typed
 * by the user turned back into exact integers.
 */

/** The scale of a FixedU128: 10^18. */
export const FIXED_ONE = 10n ** 18n;

/** A Permill's scale: one million parts. */
export const PERMILL_ONE = 1_000_000;

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A codec integer, a bigint, a number or a decimal string as a bigint. */
export function toBigInt(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  if (value && typeof value.toBigInt === 'function') return value.toBigInt();
  throw new TypeError(`not an integer: ${value}`);
}

/** A FixedU128 (codec or bigint) as a JavaScript number. */
export function fixedToNumber(value) {
  const raw = toBigInt(value);
  const whole = raw / FIXED_ONE;
  const fraction = raw % FIXED_ONE;
  return Number(whole) + Number(fraction) / 1e18;
}

/** An amount in an asset's smallest unit as a JavaScript number of whole tokens. */
export function unitsToNumber(value, decimals) {
  const raw = toBigInt(value);
  const scale = 10n ** BigInt(decimals);
  return Number(raw / scale) + Number(raw % scale) / Number(scale);
}

/**
 * An amount in an asset's smallest unit, with thousands separators and at most `maxFraction`
 * decimals (truncated, never rounded up), trailing zeros dropped down to `minFraction`.
 */
export function formatUnits(value, decimals, { maxFraction = 4, minFraction = 2 } = {}) {
  const raw = toBigInt(value);
  const negative = raw < 0n;
  const magnitude = negative ? -raw : raw;
  const scale = 10n ** BigInt(decimals);
  const whole = grouping.format(magnitude / scale);
  const shown = Math.min(maxFraction, decimals);
  let fraction = (magnitude % scale).toString().padStart(decimals, '0').slice(0, shown);
  const keep = Math.min(minFraction, shown);
  while (fraction.length > keep && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (magnitude > 0n && magnitude < scale && /^0*$/.test(fraction) && shown > 0) {
    return `${negative ? '-' : ''}< 0.${'0'.repeat(shown - 1)}1`;
  }
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** An amount with its asset's symbol, e.g. "1,000.5 DOT"; `asset` is { decimals, symbol }. */
export function formatAmount(value, asset, options) {
  return `${formatUnits(value, asset.decimals, options)} ${asset.symbol}`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** An amount with its symbol in short form for caps and ceilings, e.g. "10M DOT". */
export function formatAmountShort(value, asset) {
  return `${compact.format(unitsToNumber(value, asset.decimals))} ${asset.symbol}`;
}

/** A number of US dollars, e.g. "$1,234.56", with more digits below one dollar. */
export function formatUsd(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const magnitude = Math.abs(value);
  const digits = magnitude > 0 && magnitude < 1 ? 4 : 2;
  const text = magnitude.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits });
  return `${value < 0 ? '-' : ''}$${text}`;
}

/** A short dollar figure for chart axes, e.g. "$1.2M". */
export function formatUsdShort(value) {
  const magnitude = Math.abs(value);
  const units = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, suffix] of units) {
    if (magnitude >= size) return `$${(value / size).toLocaleString('en-US', { maximumFractionDigits: 1 })}${suffix}`;
  }
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

/** A fraction (0.1234) as a percentage ("12.34%"). */
export function formatPercent(fraction, digits = 2) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '—';
  return `${(fraction * 100).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}

/** A Permill (codec or number of millionths) as a percentage. */
export function formatPermill(value, digits = 2) {
  return formatPercent(Number(toBigInt(value)) / PERMILL_ONE, digits);
}

/** A FixedU128 fraction (codec or bigint) as a percentage. */
export function formatFixedPercent(value, digits = 2) {
  return formatPercent(fixedToNumber(value), digits);
}

/** A plain number with separators and `digits` decimals. */
export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** An Option<FixedU128> (codec) as a JS number, or null when None. */
export function optionFixed(option) {
  return option && option.isSome ? fixedToNumber(option.unwrap()) : null;
}

/**
 * A decimal string typed by the user ("1,000.5") as an exact bigint in the asset's smallest
 * unit. Throws on anything that is not a non-negative decimal with at most `decimals` decimals.
 */
export function parseUnits(text, decimals) {
  const cleaned = String(text).trim().replaceAll(',', '').replaceAll('_', '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!cleaned || !match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new Error(`"${text}" is not an amount`);
  }
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) {
    throw new Error(`"${text}" has more than ${decimals} decimals`);
  }
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** A decimal string typed by the user as a FixedU128 bigint (18 decimals). */
export function parseFixed(text) {
  return parseUnits(text, 18);
}

/** A percentage typed by the user ("1.5") as a Permill number of millionths. */
export function parsePercentToPermill(text) {
  const permill = parseUnits(text, 4);
  if (permill > 1_000_000n) throw new Error(`${text}% is more than 100%`);
  return Number(permill);
}

/** A shortened account address for tables: the first and last six characters. */
export function shortAddress(address) {
  const text = String(address);
  return text.length > 16 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}
