// The oracle on a real dev node fed by the real price server over HTTP, read through the
// oracle runtime API with @polkadot/api: prices arrive within three blocks, follow a crash, and
// go stale (never silently kept) when the feed stops.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringToHex } from '@polkadot/util';
import {
  startNode, startPriceServer, priceSourceArgs, connect, heads, waitFor, progress, oraclePrices,
  PRICED_ASSETS,
} from '../lib/node.mjs';

const MAX_PRICE_AGE_MS = 60_000;
const REFERENCE = { 1: 7.5, 2: 95000, 3: 3500, 4: 1 };

let server;
let secondServer;
let node;
let api;

before(async () => {
  server = await startPriceServer('steady');
  node = await startNode(['--dev', ...priceSourceArgs(server.port)], 'oracle-dev');
  api = await connect(node.rpcPort);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  await server?.stop();
  await secondServer?.stop();
});

test('every test asset has a fresh on-chain price within 3 blocks of start', async () => {
  const block = await waitFor('fresh prices for every test asset', async () => {
    const prices = await oraclePrices(api);
    if (!PRICED_ASSETS.every(({ id }) => prices.get(id)?.fresh)) return null;
    return (await heads(api)).best;
  }, { timeoutMs: 60_000, intervalMs: 500 });
  const hash = await api.rpc.chain.getBlockHash(3);
  const atThree = await oraclePrices(api, hash);
  for (const { id, symbol } of PRICED_ASSETS) {
    assert.ok(atThree.get(id).fresh, `${symbol} is fresh at block 3`);
    assert.ok(Math.abs(atThree.get(id).value - REFERENCE[id]) < 1e-9, `${symbol} at its reference price`);
  }
  progress(`all four priced by block 3 (seen at #${block})`);
  const constants = api.consts.oracle;
  assert.equal(constants.maxPriceAge.toNumber(), MAX_PRICE_AGE_MS);
});

test('switching the server to the crash scenario moves on-chain prices within a few blocks', async () => {
  const before = (await oraclePrices(api)).get(1).value;
  const { best: switchedAt } = await heads(api);
  await server.switchTo('crash');
  const movedAt = await waitFor('the DOT price to fall 3%', async () => {
    const dot = (await oraclePrices(api)).get(1);
    return dot.fresh && dot.value < before * 0.97 ? (await heads(api)).best : null;
  }, { timeoutMs: 90_000 });
  progress(`DOT fell below ${before * 0.97} at #${movedAt}, ${movedAt - switchedAt} blocks after the switch`);
  assert.ok(movedAt - switchedAt <= 6, 'within six blocks');
  const usdc = (await oraclePrices(api)).get(4);
  assert.equal(usdc.value, 1, 'USDC does not crash');
});

test('offchain_localStorageSet changes a running node\'s sources; the breaker holds the jump a round', async () => {
  await waitFor('the crash to take DOT below 5.5 (more than MaxJump under 7.5)', async () => {
    const dot = (await oraclePrices(api)).get(1);
    return dot.fresh && dot.value < 5.5;
  }, { timeoutMs: 90_000 });
  secondServer = await startPriceServer('steady');
  const key = stringToHex('lever/oracle/sources/1');
  const value = stringToHex(`http://127.0.0.1:${secondServer.port}/price/DOT /usd\n`);
  const crashed = (await oraclePrices(api)).get(1).value;
  await api.rpc.offchain.localStorageSet('PERSISTENT', key, value);
  progress(`DOT now sourced from the second server (7.5) instead of the crashed one (${crashed})`);
  const held = await waitFor('the breaker to hold the jump back to 7.5', async () => {
    const infos = await api.call.oracleApi.prices();
    const dot = infos.find((info) => info.asset.toNumber() === 1);
    return dot.pending.isSome ? Number(dot.pending.unwrap().value.toBigInt()) / 1e18 : null;
  }, { timeoutMs: 60_000 });
  assert.equal(held, 7.5);
  assert.ok((await oraclePrices(api)).get(1).value < 7.5 * 0.8, 'held, not applied');
  await waitFor('the next round to confirm DOT at 7.5', async () =>
    (await oraclePrices(api)).get(1).value === 7.5, { timeoutMs: 60_000 });
});

test('stopping the servers makes prices stale after MaxPriceAge, read through the runtime API', async () => {
  await server.stop();
  await secondServer.stop();
  const stoppedAt = Date.now();
  progress('price server stopped');
  const stale = await waitFor('every price to go stale', async () => {
    const prices = await oraclePrices(api);
    return PRICED_ASSETS.every(({ id }) => !prices.get(id).fresh) ? prices : null;
  }, { timeoutMs: MAX_PRICE_AGE_MS + 60_000, intervalMs: 2_000 });
  const waited = Date.now() - stoppedAt;
  progress(`stale after ${waited} ms without feeds`);
  assert.ok(waited >= MAX_PRICE_AGE_MS - 15_000, 'not stale before MaxPriceAge');
  for (const { id } of PRICED_ASSETS) {
    assert.ok(stale.get(id).ageMs > MAX_PRICE_AGE_MS, 'older than MaxPriceAge');
    assert.ok(stale.get(id).value > 0, 'the old value is shown, flagged stale');
  }
});
