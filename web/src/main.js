/**
 * The web app's entry point: connects to the node named by `?rpc=` (default
 * ws://127.0.0.1:9944), loads the chain's assets, mounts the risk dashboard and the trader view
 * (switched by the address's #dashboard / #trader), shows the connection and the latest block,
 * and redraws the visible view at every new block.
 */

import './style.css';
import { assetOf, connect, endpointFromLocation, loadAssets } from './chain.js';
import { createDashboard } from './dashboard.js';
import { h, replace } from './dom.js';
import { createTrader } from './trader.js';

const endpoint = endpointFromLocation();
const statusElement = document.getElementById('connection');
const blockElement = document.getElementById('block-number');
const chainElement = document.getElementById('chain-name');
const bannerElement = document.getElementById('banner');
const activityList = document.getElementById('activity-list');
const views = {
  dashboard: document.getElementById('view-dashboard'),
  trader: document.getElementById('view-trader'),
};

document.getElementById('endpoint').textContent = endpoint;

function showStatus(state) {
  statusElement.dataset.state = state;
  statusElement.textContent = { connecting: 'connecting…', connected: 'connected', disconnected: 'disconnected, retrying…' }[state];
}

function showBanner(text) {
  bannerElement.hidden = !text;
  bannerElement.textContent = text ?? '';
}

/** The activity log: notes and transactions with their progress, newest first. */
const log = {
  note(text) {
    activityList.prepend(h('li', { class: 'note' }, h('time', {}, new Date().toLocaleTimeString()), ' ', text));
  },
  start(label) {
    const state = h('span', { class: 'state' }, 'preparing');
    const item = h('li', { class: 'tx', dataset: { state: 'pending' } },
      h('time', {}, new Date().toLocaleTimeString()), ' ', h('strong', {}, label), ': ', state);
    activityList.prepend(item);
    return {
      update(text) { replace(state, text); },
      succeed(text) { item.dataset.state = 'ok'; replace(state, text); },
      fail(text) { item.dataset.state = 'error'; replace(state, text); },
    };
  },
};

function currentView() {
  return window.location.hash === '#trader' ? 'trader' : 'dashboard';
}

function showView() {
  const name = currentView();
  for (const [key, element] of Object.entries(views)) element.hidden = key !== name;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.getAttribute('href') === `#${name}`);
  }
  return name;
}

/** Runs `refresh` for the newest head only, one at a time, skipping heads that arrive meanwhile. */
function serialRefresher(refresh) {
  let running = false;
  let pending = null;
  return async function schedule(head) {
    pending = head;
    if (running) return;
    running = true;
    while (pending) {
      const { hash, number } = pending;
      pending = null;
      try {
        await refresh(hash, number);
        showBanner(null);
      } catch (error) {
        showBanner(`Could not read block #${number}: ${error.message}`);
      }
    }
    running = false;
  };
}

async function start() {
  showView();
  const api = await connect(endpoint, showStatus);
  const [chain, assets] = await Promise.all([api.rpc.system.chain(), loadAssets(api)]);
  chainElement.textContent = chain.toString();
  const lvusd = assetOf(assets, api.consts.vaults.stableAsset.toNumber());
  const app = { api, assets, lvusd, log };

  const dashboard = createDashboard(views.dashboard, app);
  const trader = createTrader(views.trader, app);
  await trader.ready;
  const refreshers = {
    dashboard: serialRefresher((hash, number) => dashboard.refresh(hash, number)),
    trader: serialRefresher((hash, number) => trader.refresh(hash, number)),
  };

  let latest = null;
  window.addEventListener('hashchange', () => {
    const name = showView();
    if (latest) refreshers[name](latest);
  });
  await api.rpc.chain.subscribeNewHeads((header) => {
    latest = { hash: header.hash, number: header.number.toNumber() };
    blockElement.textContent = `#${latest.number.toLocaleString('en-US')}`;
    blockElement.dataset.block = String(latest.number);
    refreshers[currentView()](latest);
  });
}

start().catch((error) => {
  showStatus('disconnected');
  showBanner(`Could not start: ${error.message}`);
});
