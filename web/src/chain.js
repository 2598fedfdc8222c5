/**
 * The app's link to the chain: which endpoint to use, the @polkadot/api connection, the assets
 * the chain knows (symbols and decimals from pallet-assets' metadata), dispatch errors in words,
 * and signing and submitting transactions with their progress.
 *
 * Everything is decoded from the chain's metadata: api.query for storage, api.call for runtime
 * APIs and api.tx for calls.
 */

import { ApiPromise, WsProvider } from '@polkadot/api';
import { fixedToNumber } from './format.js';

/** The endpoint used when the page's address names none. */
export const DEFAULT_ENDPOINT = 'ws://127.0.0.1:9944';

/** The node's WebSocket endpoint: the page's `?rpc=` parameter, else the local default. */
export function endpointFromLocation(location = window.location) {
  const rpc = new URLSearchParams(location.search).get('rpc');
  return rpc && /^wss?:\/\//.test(rpc) ? rpc : DEFAULT_ENDPOINT;
}

/**
 * Connects to `endpoint`, reporting 'connecting', 'connected' and 'disconnected' to
 * `onStatus`; resolves with the ready ApiPromise. The provider reconnects by itself.
 */
export async function connect(endpoint, onStatus = () => {}) {
  onStatus('connecting');
  const provider = new WsProvider(endpoint, 2_500);
  provider.on('connected', () => onStatus('connected'));
  provider.on('disconnected', () => onStatus('disconnected'));
  provider.on('error', () => onStatus('disconnected'));
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  onStatus('connected');
  return api;
}

/**
 * The assets the chain knows, keyed by asset id: { id, symbol, name, decimals } from
 * pallet-assets' metadata, plus the native token under the key 'native'.
 */
export async function loadAssets(api) {
  const assets = new Map();
  const entries = await api.query.assets.metadata.entries();
  for (const [key, metadata] of entries) {
    const id = key.args[0].toNumber();
    assets.set(id, {
      id,
      symbol: metadata.symbol.toUtf8() || `#${id}`,
      name: metadata.name.toUtf8(),
      decimals: metadata.decimals.toNumber(),
    });
  }
  const sorted = new Map([...assets.entries()].sort(([a], [b]) => a - b));
  sorted.set('native', {
    id: 'native',
    symbol: api.registry.chainTokens[0] ?? 'LVR',
    name: 'Native token',
    decimals: api.registry.chainDecimals[0] ?? 12,
  });
  return sorted;
}

/** The asset `id` from `assets`, or a placeholder naming the id with no decimals. */
export function assetOf(assets, id) {
  const key = typeof id === 'object' && id !== null && typeof id.toNumber === 'function' ? id.toNumber() : id;
  return assets.get(key) ?? { id: key, symbol: `#${key}`, name: `Asset ${key}`, decimals: 0 };
}

/** Oracle prices by asset id, as numbers of USD per whole token (null when never priced). */
export function priceMap(prices) {
  return new Map(prices.map((info) => [
    info.asset.toNumber(),
    info.price.isSome ? fixedToNumber(info.price.unwrap().value) : null,
  ]));
}

/**
 * A DispatchError (from an extrinsic's result or a runtime API's Err) in words: for a module
 * error `section.name: docs`, from the metadata; otherwise its kind, e.g. `Token.FundsUnavailable`.
 */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    const text = docs.join(' ').trim();
    return `${section}.${name}${text ? `: ${text}` : ''}`;
  }
  const inner = dispatchError.value;
  return inner && typeof inner.type === 'string' && inner.type !== dispatchError.type
    ? `${dispatchError.type}.${inner.type}`
    : dispatchError.type;
}

/**
 * Signs `tx` as `account` ({ address, pair } for a local keypair or { address, signer } for the
 * browser extension) and submits it. `onUpdate(text)` hears each step. Resolves once the
 * transaction is in a block with { blockHash, blockNumber, events }; rejects with the dispatch
 * error in words when it fails, or when the pool refuses or drops it.
 */
export function submit(api, tx, account, onUpdate = () => {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let settled = false;
    const finish = (callback, value) => {
      if (settled) return;
      settled = true;
      if (unsubscribe) unsubscribe();
      callback(value);
    };
    const signer = account.pair ?? account.address;
    const options = account.pair ? {} : { signer: account.signer };
    onUpdate('signing');
    tx.signAndSend(signer, options, (result) => {
      const { status, dispatchError, events } = result;
      if (status.isReady) onUpdate('in the pool');
      else if (status.isBroadcast) onUpdate('broadcast');
      else if (status.isInBlock) {
        const blockHash = status.asInBlock;
        api.rpc.chain.getHeader(blockHash).then((header) => {
          const blockNumber = header.number.toNumber();
          if (dispatchError) {
            finish(reject, new Error(`${describeDispatchError(api, dispatchError)} (block #${blockNumber})`));
          } else {
            finish(resolve, { blockHash, blockNumber, events: events.map(({ event }) => event) });
          }
        }, (error) => finish(reject, error));
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        finish(reject, new Error(`the transaction was ${status.type.toLowerCase()}`));
      }
    }).then((unsub) => {
      if (settled) unsub();
      else unsubscribe = unsub;
    }, (error) => finish(reject, error));
  });
}
