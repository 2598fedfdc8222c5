// The oracle on a real dev node fed by the real price server over HTTP, read through the
// oracle runtime API with @polkadot/api: prices arrive within three blocks, follow a crash, and
// go stale (never silently kept) when the feed stops.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startNode, startPriceServer, priceSourceArgs, connect, heads, waitFor, progress, oraclePrices,
  PRICED_ASSETS,
} from '../lib/node.mjs';

const MAX_PRICE_AGE_MS = 60_000;
const REFERENCE = { 1: 7.5, 2: 95000, 3: 3500, 4: 1 };

let server;
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

test('stopping the server makes prices stale after MaxPriceAge, read through the runtime API', async () => {
  await server.stop();
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
