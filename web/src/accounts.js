/**
 * The accounts a trader can act as: the well-known dev accounts (//Alice to //Ferdie), signed
 * in the page with @polkadot/keyring, offered only when the chain says it is a development or
 * local chain; and the accounts of a Polkadot.js-compatible browser extension, signed by the
 * extension through @polkadot/extension-dapp.
 */

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';

/** The dev accounts' names, each derived as //Name from the dev seed. */
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** The app's name as browser extensions show it when asking to connect. */
const APP_NAME = 'Lever';

/** Whether the chain is a development or local chain, whose dev accounts are public. */
export async function isDevChain(api) {
  const type = await api.rpc.system.chainType();
  return type.isDevelopment || type.isLocal;
}

/**
 * The dev accounts as { address, name, source: 'dev', pair } in the chain's address format, or
 * none when the chain is not a dev chain.
 */
export async function devAccounts(api) {
  if (!(await isDevChain(api))) return [];
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`, { name });
    return { address: pair.address, name, source: 'dev', pair };
  });
}

/**
 * Asks the browser extensions for their accounts, as { address, name, source, signer }, in the
 * chain's address format. Returns an empty list when no extension is installed or the user
 * refuses; throws nothing for those cases.
 */
export async function extensionAccounts(api) {
  const extensions = await web3Enable(APP_NAME);
  if (extensions.length === 0) return [];
  const accounts = await web3Accounts({ ss58Format: api.registry.chainSS58 ?? undefined });
  return Promise.all(accounts.map(async (account) => {
    const injector = await web3FromAddress(account.address);
    return {
      address: account.address,
      name: account.meta.name ?? account.address,
      source: account.meta.source,
      signer: injector.signer,
    };
  }));
}
