//! What must hold after every block, whatever was submitted: the safety invariants (every
//! pallet's `try_state`, supplies that only their minting paths change, no user loses funds
//! without signing, blocks within their weight, the stress test agreeing with the engine's judges
//! and changing nothing) and the liveness invariants (an unsafe lending account or vault is acted
//! on within a stated number of blocks).

use crate::calls::ASSETS;
use frame_support::{
	dispatch::DispatchClass,
	storage::{with_transaction, TransactionOutcome},
	traits::{
		fungible::Mutate as _,
		fungibles::{Inspect as _, Mutate as _},
	},
	weights::Weight,
};
use frame_system::Phase;
use lever_primitives::{AmountOrAll, LendingLiquidation, PriceProvider, VaultLiquidation};
use lever_runtime::{
	configs::{amm::AmmAsset, vaults::LVUSD},
	AccountId, Assets, Balance, Balances, Lending, Liquidation, Oracle, PoolAssets, Runtime,
	RuntimeEvent, RuntimeOrigin, System, Vaults,
};
use pallet_liquidation::{Shock, StressReport, WeightInfo as _};
use sp_runtime::{DispatchError, DispatchResult, FixedU128, Permill};
use std::collections::{BTreeMap, BTreeSet};

/// The engine's benchmarked weights, as the runtime charges them.
type EngineWeights = <Runtime as pallet_liquidation::Config>::WeightInfo;

/// Blocks an unsafe lending account may stay unsafe with nothing done: its sweep in the block
/// that made it unsafe, its flag included in the next, its liquidation in the one after. A
/// block that began with a stale price does not count (nothing may be liquidated on it, and the
/// chain refuses a flag then; the sweep flags again two blocks after).
pub const LENDING_BOUND: u32 = 2;
/// Blocks an unsafe vault may stay unsafe with nothing done: detection in `on_initialize`
/// finds it in the block after it became unsafe (within the boundary scan), the engine takes it
/// in the same or the next block. Blocks that began with a stale price do not count.
pub const VAULT_BOUND: u32 = 2;

/// An oracle round the chain accepted: when, and the price of each asset in it (millionths of a
/// dollar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
	/// The block's time, in milliseconds.
	pub at: u64,
	/// Each asset's submitted price.
	pub prices: Vec<(u32, u128)>,
}

/// A broken invariant: which, in which block, and the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
	/// The block it was found after.
	pub block: u32,
	/// What broke, with the figures.
	pub what: String,
}

impl std::fmt::Display for Violation {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "after block {}: {}", self.block, self.what)
	}
}

/// What a user holds that only the user's own calls or a liquidation of the user's own
/// position may reduce: wallet balances (native and every asset) and lending supply shares.
#[derive(PartialEq, Eq, Debug, Clone)]
struct Holdings {
	native: Balance,
	wallet: Vec<Balance>,
	shares: Vec<Balance>,
}

impl Holdings {
	fn of(who: &AccountId) -> Self {
		Self {
			native: Balances::free_balance(who),
			wallet: ASSETS.iter().map(|asset| Assets::balance(*asset, who)).collect(),
			shares: ASSETS
				.iter()
				.map(|asset| Lending::supply_of(who, *asset).map_or(0, |position| position.shares))
				.collect(),
		}
	}
}

/// What the checked blocks held, to show a run reached the states the invariants are about.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
	/// Liquidations: by the engine (lending and vaults) and by anyone's `lending.liquidate`.
	pub liquidations: u32,
	/// Lending accounts written off.
	pub write_offs: u32,
	/// Unsafe lending accounts and vaults found after a block (counted once per block).
	pub unsafe_positions: u32,
	/// Calls tried and rolled back to show nothing is stuck: auction takes and snips, backstop
	/// and savings withdrawals, vault settlements and the redemption fix.
	pub moves_tried: u32,
	/// Blocks checked after the vault system's shutdown.
	pub shut_down_blocks: u32,
}

impl Seen {
	/// Adds another run's figures.
	pub fn add(&mut self, other: &Seen) {
		self.liquidations = self.liquidations.saturating_add(other.liquidations);
		self.write_offs = self.write_offs.saturating_add(other.write_offs);
		self.unsafe_positions = self.unsafe_positions.saturating_add(other.unsafe_positions);
		self.moves_tried = self.moves_tried.saturating_add(other.moves_tried);
		self.shut_down_blocks = self.shut_down_blocks.saturating_add(other.shut_down_blocks);
	}
}

/// The invariants' memory from block to block.
pub struct Watch {
	/// What the checked blocks held.
	pub seen: Seen,
	supplies: Vec<(u32, Balance)>,
	lp_supplies: BTreeMap<u32, Balance>,
	native_issuance: Balance,
	holdings: BTreeMap<AccountId, Holdings>,
	unsafe_lending: BTreeMap<AccountId, u32>,
	unsafe_vaults: BTreeMap<(u32, AccountId), u32>,
	last_round: Option<Round>,
}

impl Watch {
	/// Takes the baseline after set-up: every supply but lvUSD's is fixed from now on.
	pub fn new(users: &[AccountId]) -> Self {
		Self {
			supplies: ASSETS
				.iter()
				.filter(|asset| **asset != LVUSD)
				.map(|asset| (*asset, Assets::total_supply(*asset)))
				.collect(),
			lp_supplies: lp_supplies(),
			native_issuance: Balances::total_issuance(),
			seen: Seen::default(),
			holdings: users.iter().map(|who| (who.clone(), Holdings::of(who))).collect(),
			unsafe_lending: BTreeMap::new(),
			unsafe_vaults: BTreeMap::new(),
			last_round: None,
		}
	}

	/// Checks every invariant after block `block`, in which `signers` signed transactions, the
	/// engine's `on_initialize` charged `engine_weight` and the chain accepted the oracle round
	/// `fed`, if any; `stale_start` says a price was stale when the block began. Must run inside
	/// the chain's state, after the block's `on_finalize`.
	pub fn after_block(
		&mut self,
		block: u32,
		signers: &BTreeSet<AccountId>,
		stale_start: bool,
		engine_weight: Weight,
		fed: Option<Round>,
	) -> Result<(), Violation> {
		let fail = |what: String| Violation { block, what };
		lever_runtime::invariants::check_invariants()
			.map_err(|(pallet, error)| fail(format!("{pallet} try_state: {error:?}")))?;
		for (asset, supply) in &self.supplies {
			let now = Assets::total_supply(*asset);
			if now != *supply {
				return Err(fail(format!("asset {asset}'s supply moved from {supply} to {now}")));
			}
		}
		let native = Balances::total_issuance();
		if native > self.native_issuance {
			return Err(fail(format!(
				"native issuance grew from {} to {native}",
				self.native_issuance
			)));
		}
		self.native_issuance = native;
		self.check_weight().map_err(fail)?;
		let records = System::events();
		check_engine_weight(engine_weight, &records).map_err(fail)?;
		let events: Vec<RuntimeEvent> = records.into_iter().map(|record| record.event).collect();
		self.check_lp_supplies(&events).map_err(fail)?;
		let tried = check_nothing_stuck().map_err(fail)?;
		check_stress(Permill::from_percent(block % 50 + 1)).map_err(fail)?;
		check_summary().map_err(fail)?;
		self.seen.moves_tried = self.seen.moves_tried.saturating_add(tried);
		if pallet_vaults::ShutdownAt::<Runtime>::exists() {
			self.seen.shut_down_blocks = self.seen.shut_down_blocks.saturating_add(1);
		}
		for event in &events {
			match event {
				RuntimeEvent::Liquidation(
					pallet_liquidation::Event::LendingLiquidated { .. }
					| pallet_liquidation::Event::VaultLiquidated { .. },
				)
				| RuntimeEvent::Lending(pallet_lending::Event::Liquidated { .. }) => {
					self.seen.liquidations = self.seen.liquidations.saturating_add(1)
				},
				RuntimeEvent::Liquidation(pallet_liquidation::Event::LendingWrittenOff {
					..
				}) => self.seen.write_offs = self.seen.write_offs.saturating_add(1),
				_ => {},
			}
		}
		self.check_fresh_under_quorum(fed).map_err(fail)?;
		self.check_holdings(signers, &events).map_err(fail)?;
		let counts = u32::from(!stale_start);
		self.check_lending_liveness(&events, counts).map_err(fail)?;
		self.check_vault_liveness(&events, counts).map_err(fail)?;
		Ok(())
	}

	/// Each dispatch class within its share of the block, and the whole within the block.
	fn check_weight(&self) -> Result<(), String> {
		let limits = <Runtime as frame_system::Config>::BlockWeights::get();
		let used = System::block_weight();
		for class in [DispatchClass::Normal, DispatchClass::Operational] {
			if let Some(max) = limits.get(class).max_total {
				if used.get(class).any_gt(max) {
					return Err(format!("{class:?} weight {:?} over {max:?}", used.get(class)));
				}
			}
		}
		if used.total().any_gt(limits.max_block) {
			return Err(format!("block weight {:?} over {:?}", used.total(), limits.max_block));
		}
		Ok(())
	}

	/// No user who signed nothing in the block holds less, unless its own position was
	/// liquidated.
	fn check_holdings(
		&mut self,
		signers: &BTreeSet<AccountId>,
		events: &[RuntimeEvent],
	) -> Result<(), String> {
		let liquidated: BTreeSet<AccountId> = events
			.iter()
			.filter_map(|event| match event {
				RuntimeEvent::Lending(pallet_lending::Event::Liquidated { borrower, .. })
				| RuntimeEvent::Lending(pallet_lending::Event::DebtTakenOver {
					borrower, ..
				}) => Some(borrower.clone()),
				_ => None,
			})
			.collect();
		for (who, before) in self.holdings.iter_mut() {
			let now = Holdings::of(who);
			if !signers.contains(who) {
				let lost_wallet = now.native < before.native
					|| now.wallet.iter().zip(&before.wallet).any(|(now, before)| now < before);
				let lost_shares =
					now.shares.iter().zip(&before.shares).any(|(now, before)| now < before);
				if lost_wallet || (lost_shares && !liquidated.contains(who)) {
					return Err(format!(
						"{who} signed nothing and went from {before:?} to {now:?}"
					));
				}
			}
			*before = now;
		}
		Ok(())
	}

	/// A lending account unsafe at fresh prices (stale ones in its favour) is liquidated or
	/// written off within [`LENDING_BOUND`] blocks, unless it is a book (which waits for a
	/// backstop, AMM depth or anyone's call) or one of its markets is frozen.
	fn check_lending_liveness(
		&mut self,
		events: &[RuntimeEvent],
		counts: u32,
	) -> Result<(), String> {
		let acted: BTreeSet<AccountId> = events
			.iter()
			.filter_map(|event| match event {
				RuntimeEvent::Liquidation(
					pallet_liquidation::Event::LendingLiquidated { account, .. }
					| pallet_liquidation::Event::LendingWrittenOff { account },
				) => Some(account.clone()),
				RuntimeEvent::Lending(pallet_lending::Event::Liquidated { borrower, .. }) => {
					Some(borrower.clone())
				},
				_ => None,
			})
			.collect();
		let mut still = BTreeMap::new();
		for who in pallet_lending::Borrowers::<Runtime>::iter_keys() {
			if !<Lending as LendingLiquidation<AccountId>>::is_liquidatable(&who).unwrap_or(false)
				|| pallet_lending::Books::<Runtime>::contains_key(&who)
				|| frozen_market(&who)
			{
				continue;
			}
			let blocks = if acted.contains(&who) {
				0
			} else {
				self.unsafe_lending.get(&who).map_or(0, |blocks| blocks.saturating_add(counts))
			};
			if blocks > LENDING_BOUND {
				return Err(format!(
					"lending account {who} unsafe for {blocks} blocks with nothing done: {:?}",
					Lending::account_liquidity(&who)
				));
			}
			still.insert(who, blocks);
		}
		self.seen.unsafe_positions = self.seen.unsafe_positions.saturating_add(still.len() as u32);
		self.unsafe_lending = still;
		Ok(())
	}

	/// A vault unsafe at a fresh price is liquidated (whole, or in part back to its target
	/// ratio) within [`VAULT_BOUND`] blocks unless the vault system is shut down. A vault of
	/// which no route could take any part (no backstop deposits, the AMM refused, no room under
	/// the auction caps: `AuctionCapReached`, its type then stalled) waits for one: such a block
	/// does not count.
	fn check_vault_liveness(&mut self, events: &[RuntimeEvent], counts: u32) -> Result<(), String> {
		let acted: BTreeSet<(u32, AccountId)> = events
			.iter()
			.filter_map(|event| match event {
				RuntimeEvent::Liquidation(pallet_liquidation::Event::VaultLiquidated {
					asset,
					owner,
					..
				}) => Some((*asset, owner.clone())),
				_ => None,
			})
			.collect();
		let cap: sp_runtime::DispatchError =
			pallet_liquidation::Error::<Runtime>::AuctionCapReached.into();
		let waiting: BTreeSet<(u32, AccountId)> = events
			.iter()
			.filter_map(|event| match event {
				RuntimeEvent::Liquidation(pallet_liquidation::Event::Deferred {
					item: pallet_liquidation::QueueItem::Vault { asset, owner },
					error,
				}) if *error == cap => Some((*asset, owner.clone())),
				_ => None,
			})
			.collect();
		let mut still = BTreeMap::new();
		if pallet_vaults::ShutdownAt::<Runtime>::get().is_none() {
			for (asset, owner, _) in pallet_vaults::Vaults::<Runtime>::iter() {
				if !<Vaults as VaultLiquidation<AccountId>>::is_unsafe(asset, &owner)
					.unwrap_or(false)
				{
					continue;
				}
				let stalled = pallet_liquidation::Stalled::<Runtime>::contains_key(asset);
				let key = (asset, owner);
				let counts = if waiting.contains(&key) || stalled { 0 } else { counts };
				let blocks = if acted.contains(&key) {
					0
				} else {
					self.unsafe_vaults.get(&key).map_or(0, |blocks| blocks.saturating_add(counts))
				};
				if blocks > VAULT_BOUND {
					return Err(format!(
						"vault ({}, {}) unsafe for {blocks} blocks with nothing done",
						key.0, key.1
					));
				}
				still.insert(key, blocks);
			}
		}
		self.seen.unsafe_positions = self.seen.unsafe_positions.saturating_add(still.len() as u32);
		self.unsafe_vaults = still;
		Ok(())
	}
}

impl Watch {
	/// A fresh quorum of consistent prices keeps the price fresh: after a round the chain
	/// accepted, an asset whose price in it is within the oracle's maximum jump of its price in
	/// the round accepted before it, no more than the maximum price age earlier, has a fresh
	/// price (a held jump is confirmed by such a round, however many rounds were missed in
	/// between).
	fn check_fresh_under_quorum(&mut self, fed: Option<Round>) -> Result<(), String> {
		let Some(round) = fed else { return Ok(()) };
		let max_age = <Runtime as pallet_oracle::Config>::MaxPriceAge::get();
		let max_jump = <Runtime as pallet_oracle::Config>::MaxJump::get();
		if let Some(last) = self.last_round.take().filter(|last| round.at - last.at <= max_age) {
			for ((asset, now), (_, before)) in round.prices.iter().zip(&last.prices) {
				let consistent = now.abs_diff(*before) <= max_jump.mul_floor(*before);
				if consistent && <Oracle as PriceProvider>::price(*asset).is_err() {
					return Err(format!(
						"asset {asset}'s price is stale after two consistent rounds {} ms apart \
						 (${before} then ${now} millionths): {:?}",
						round.at - last.at,
						pallet_oracle::Pallet::<Runtime>::price_infos()
							.into_iter()
							.find(|info| info.asset == *asset)
					));
				}
			}
		}
		self.last_round = Some(round);
		Ok(())
	}
}

/// Every AMM pool's LP token and its supply.
fn lp_supplies() -> BTreeMap<u32, Balance> {
	pallet_asset_conversion::Pools::<Runtime>::iter_values()
		.map(|pool| (pool.lp_token, PoolAssets::total_issuance(pool.lp_token)))
		.collect()
}

impl Watch {
	/// LP tokens are minted and burnt only by the AMM's liquidity calls, exactly as their
	/// events say, and a pool with LP tokens out holds both of its assets.
	fn check_lp_supplies(&mut self, events: &[RuntimeEvent]) -> Result<(), String> {
		let mut expected = self.lp_supplies.clone();
		for event in events {
			match event {
				RuntimeEvent::AssetConversion(pallet_asset_conversion::Event::LiquidityAdded {
					lp_token,
					lp_token_minted,
					..
				}) => {
					let supply = expected.entry(*lp_token).or_default();
					*supply = supply.saturating_add(*lp_token_minted);
				},
				RuntimeEvent::AssetConversion(
					pallet_asset_conversion::Event::LiquidityRemoved {
						lp_token,
						lp_token_burned,
						..
					},
				) => {
					let supply = expected.entry(*lp_token).or_default();
					*supply = supply.saturating_sub(*lp_token_burned);
				},
				_ => {},
			}
		}
		let now = lp_supplies();
		if now != expected {
			return Err(format!("LP supplies {now:?}, the AMM's events say {expected:?}"));
		}
		for (first, second) in pallet_asset_conversion::Pools::<Runtime>::iter_keys() {
			let pool = (first.clone(), second.clone());
			let Ok(account) =
				<<Runtime as pallet_asset_conversion::Config>::PoolLocator as pallet_asset_conversion::PoolLocator<_, _, _>>::address(&pool)
			else {
				return Err(format!("pool {pool:?} has no account"));
			};
			let supply = pallet_asset_conversion::Pools::<Runtime>::get(&pool)
				.map_or(0, |info| PoolAssets::total_issuance(info.lp_token));
			let reserve = |asset: &AmmAsset| match asset {
				AmmAsset::Native => Balances::free_balance(&account),
				AmmAsset::WithId(id) => Assets::balance(*id, &account),
			};
			if supply != 0 && (reserve(&first) == 0 || reserve(&second) == 0) {
				return Err(format!("pool {pool:?} has {supply} LP tokens out and an empty side"));
			}
		}
		self.lp_supplies = now;
		Ok(())
	}
}

/// The engine's `on_initialize` charged at most its budget and at least the benchmarked weight
/// of what its events show it did: its base, each vault queued, each queued vault tried (its
/// outcome: liquidated, no longer unsafe or deferred; a sale refused after its quote and the
/// retry without the AMM count once, as the events cannot tell it from a quote refused within
/// one attempt) and, once a block, the items its type's liquidations share, each lending
/// account tried, each auction snipped.
fn check_engine_weight(
	charged: Weight,
	records: &[frame_system::EventRecord<RuntimeEvent, lever_runtime::Hash>],
) -> Result<(), String> {
	let budget = <Runtime as pallet_liquidation::Config>::LiquidationWeight::get();
	if charged.any_gt(budget) {
		return Err(format!("the engine charged {charged:?}, over its budget {budget:?}"));
	}
	// A vault's own part is at least the lightest route's slope; each type's first vault in
	// the block also pays at least the lightest route's intercept, its shared items.
	let routes: [fn(u32) -> Weight; 3] = [
		EngineWeights::execute_vaults_backstop,
		EngineWeights::execute_vaults_auction,
		EngineWeights::execute_vaults_swap,
	];
	let lightest = |of: &dyn Fn(fn(u32) -> Weight) -> Weight| {
		routes
			.iter()
			.map(|route| of(*route))
			.reduce(|a, b| a.min(b))
			.unwrap_or_default()
	};
	let vault = lightest(&|route| route(1).saturating_sub(route(0)));
	let vault_type = lightest(&|route| route(0));
	let mut vault_types = BTreeSet::new();
	let lending = EngineWeights::execute_lending()
		.min(EngineWeights::execute_lending_amm())
		.min(EngineWeights::execute_lending_take_over());
	let mut done = EngineWeights::on_initialize_base();
	let mut lending_accounts = BTreeSet::new();
	let mut counted = Vec::new();
	for record in records.iter().filter(|record| record.phase == Phase::Initialization) {
		let RuntimeEvent::Liquidation(event) = &record.event else { continue };
		use pallet_liquidation::Event as E;
		use pallet_liquidation::QueueItem;
		let weight = match event {
			E::VaultQueued { .. } => EngineWeights::enqueue_vault(),
			E::VaultLiquidated { asset, .. }
			| E::NoLongerUnsafe { item: QueueItem::Vault { asset, .. } }
			| E::Deferred { item: QueueItem::Vault { asset, .. }, .. } => match vault_types.insert(*asset) {
				true => vault.saturating_add(vault_type),
				false => vault,
			},
			E::LendingLiquidated { account, .. }
			| E::LendingWrittenOff { account }
			| E::LendingUncovered { account }
			| E::NoLongerUnsafe { item: QueueItem::Lending { account } }
			| E::Deferred { item: QueueItem::Lending { account }, .. } => {
				if !lending_accounts.insert(account.clone()) {
					continue;
				}
				lending
			},
			E::AuctionSnipped { .. } => EngineWeights::snip(),
			_ => continue,
		};
		done = done.saturating_add(weight);
		counted.push(event);
	}
	if done.any_gt(charged) {
		return Err(format!(
			"the engine charged {charged:?} for work whose benchmarks weigh {done:?}: {counted:?}"
		));
	}
	Ok(())
}

/// Runs `f` and rolls back whatever it did, returning its result.
fn rolled_back(f: impl FnOnce() -> DispatchResult) -> DispatchResult {
	with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(f())))?
}

/// An account outside the fuzz users that checks what anyone could do.
fn keeper() -> AccountId {
	AccountId::new([0xEE; 32])
}

/// Nothing is in a state where the call that should move it fails: every running auction can
/// be taken whole at its price by anyone holding its tab (while its price is fresh and the
/// vault system runs) or snipped (after a shutdown); every backstop deposit and every saver's
/// savings can be withdrawn whole; after a shutdown every vault can be settled, and once none is left and no auction
/// runs, redemption can be fixed. Each call is tried and rolled back; returns how many.
fn check_nothing_stuck() -> Result<u32, String> {
	let mut tried = 0u32;
	let shutdown = pallet_vaults::ShutdownAt::<Runtime>::exists();
	for (id, auction) in pallet_liquidation::Auctions::<Runtime>::iter() {
		let result = if shutdown {
			rolled_back(|| Liquidation::snip(RuntimeOrigin::signed(keeper()), id))
		} else if <Oracle as PriceProvider>::price(auction.asset).is_ok() {
			rolled_back(|| {
				Balances::mint_into(&keeper(), 1_000_000_000_000_000)?;
				Assets::mint_into(LVUSD, &keeper(), auction.tab.saturating_mul(2))?;
				Liquidation::take(
					RuntimeOrigin::signed(keeper()),
					id,
					Balance::MAX,
					FixedU128::from_inner(u128::MAX),
				)
			})
		} else {
			continue;
		};
		tried = tried.saturating_add(1);
		result.map_err(|error| format!("auction {id} ({auction:?}) cannot be moved: {error:?}"))?;
	}
	for (pool, who, deposit) in pallet_liquidation::Deposits::<Runtime>::iter() {
		tried = tried.saturating_add(1);
		rolled_back(|| {
			Liquidation::withdraw(RuntimeOrigin::signed(who.clone()), pool, AmountOrAll::All)
		})
		.map_err(|error| {
			format!("{who}'s deposit in pool {pool} ({deposit:?}) cannot be withdrawn: {error:?}")
		})?;
	}
	for (saver, shares) in pallet_vaults::Savings::<Runtime>::iter() {
		tried = tried.saturating_add(1);
		rolled_back(|| {
			Vaults::withdraw_savings(RuntimeOrigin::signed(saver.clone()), AmountOrAll::All)
		})
		.map_err(|error| {
			format!("{saver}'s savings ({shares} shares) cannot be withdrawn: {error:?}")
		})?;
	}
	if shutdown {
		let mut vaults = 0u32;
		for (asset, owner, vault) in pallet_vaults::Vaults::<Runtime>::iter() {
			vaults = vaults.saturating_add(1);
			tried = tried.saturating_add(1);
			rolled_back(|| {
				Vaults::settle_vault(RuntimeOrigin::signed(keeper()), asset, owner.clone())
			})
			.map_err(|error| {
				format!("vault ({asset}, {owner}) {vault:?} cannot be settled: {error:?}")
			})?;
		}
		let fixed = pallet_vaults::IssuanceAtFix::<Runtime>::exists();
		if vaults == 0 && !fixed && pallet_liquidation::Auctions::<Runtime>::iter().next().is_none()
		{
			tried = tried.saturating_add(1);
			rolled_back(|| Vaults::fix_redemption(RuntimeOrigin::signed(keeper())))
				.map_err(|error| format!("redemption cannot be fixed: {error:?}"))?;
		}
	}
	Ok(tried)
}

/// The stress test agrees with the engine's judges and changes nothing: with no shock it lists
/// exactly the vaults the vault pallet finds unsafe (none after a shutdown) and the accounts
/// the pools find liquidatable; a fall of every collateral type's price by `fall` lists at
/// least those vaults (a vault's debt is lvUSD, so falls only make it less safe); and neither
/// test moves the storage root.
fn check_stress(fall: Permill) -> Result<(), String> {
	let root = || sp_io::storage::root(sp_runtime::StateVersion::V1);
	let before = root();
	let calm = Liquidation::stress(&[], u32::MAX)
		.map_err(|error| format!("stress test failed: {error:?}"))?;
	let shocks: Vec<Shock> = Vaults::collateral_types()
		.into_iter()
		.filter(|asset| <Oracle as PriceProvider>::last_price(*asset).is_some())
		.map(|asset| Shock { asset, fall })
		.collect();
	let shocked = Liquidation::stress(&shocks, u32::MAX)
		.map_err(|error| format!("stress test failed: {error:?}"))?;
	if root() != before {
		return Err("a stress test changed storage".into());
	}
	let listed = |report: &StressReport<AccountId>| -> BTreeSet<(u32, AccountId)> {
		report.vaults.iter().map(|vault| (vault.asset, vault.owner.clone())).collect()
	};
	let shutdown = pallet_vaults::ShutdownAt::<Runtime>::exists();
	let unsafe_vaults: BTreeSet<(u32, AccountId)> = pallet_vaults::Vaults::<Runtime>::iter()
		.filter(|(asset, owner, _)| !shutdown && Vaults::is_unsafe(*asset, owner).unwrap_or(false))
		.map(|(asset, owner, _)| (asset, owner))
		.collect();
	if listed(&calm) != unsafe_vaults {
		return Err(format!(
			"the stress test lists vaults {:?}, unsafe are {unsafe_vaults:?}",
			listed(&calm)
		));
	}
	if !listed(&shocked).is_superset(&unsafe_vaults) {
		return Err(format!("a {fall:?} fall lists fewer vaults than are unsafe now"));
	}
	let liquidatable: BTreeSet<AccountId> = pallet_lending::Borrowers::<Runtime>::iter_keys()
		.filter(|who| {
			<Lending as LendingLiquidation<AccountId>>::is_liquidatable(who).unwrap_or(false)
		})
		.collect();
	let accounts: BTreeSet<AccountId> =
		calm.accounts.iter().map(|account| account.who.clone()).collect();
	if accounts != liquidatable {
		return Err(format!(
			"the stress test lists accounts {accounts:?}, liquidatable are {liquidatable:?}"
		));
	}
	Ok(())
}

/// The risk summary adds up and agrees with the stress test, changing nothing: value locked is
/// supply, vault collateral and backstop; debt is borrows and vault debt at one dollar; lvUSD
/// debt is every type's; the shares of collateral add up to at most the whole; the vaults at
/// risk are those a stress test of the same fall of every collateral type lists; the coverage
/// is at most the whole.
fn check_summary() -> Result<(), String> {
	use sp_runtime::traits::{Saturating, Zero};
	let root = || sp_io::storage::root(sp_runtime::StateVersion::V1);
	let before = root();
	let summary =
		Liquidation::system_risk().map_err(|error| format!("summary failed: {error:?}"))?;
	if root() != before {
		return Err("the summary changed storage".into());
	}
	let locked = summary.supplied.saturating_add(summary.vault_collateral);
	if summary.value_locked != locked.saturating_add(summary.backstop) {
		return Err(format!("value locked {:?} is not its parts", summary.value_locked));
	}
	let lvusd_debt: Balance = Vaults::collateral_types()
		.into_iter()
		.filter_map(|asset| Vaults::type_totals(asset).map(|(_, debt)| debt))
		.sum();
	if summary.lvusd_debt != lvusd_debt {
		return Err(format!("lvUSD debt {} against the types' {lvusd_debt}", summary.lvusd_debt));
	}
	let decimals =
		<Assets as frame_support::traits::fungibles::metadata::Inspect<AccountId>>::decimals(LVUSD);
	let vault_debt = lever_primitives::stable_value(lvusd_debt, decimals).unwrap_or_default();
	if summary.debt != summary.borrowed.saturating_add(vault_debt) {
		return Err(format!("debt {:?} is not its parts", summary.debt));
	}
	let shares: u32 = summary.collateral.iter().map(|share| share.share.deconstruct()).sum();
	if shares > Permill::one().deconstruct() {
		return Err(format!("collateral shares add up to {shares} parts per million"));
	}
	let shocks: Vec<Shock> = Vaults::collateral_types()
		.into_iter()
		.filter(|asset| <Oracle as PriceProvider>::last_price(*asset).is_some())
		.map(|asset| Shock { asset, fall: summary.at_risk_fall })
		.collect();
	let shocked = Liquidation::stress(&shocks, 0)
		.map_err(|error| format!("stress test failed: {error:?}"))?;
	if summary.vaults_at_risk != shocked.liquidatable_vaults {
		return Err(format!(
			"{} vaults at risk, a {:?} fall lists {}",
			summary.vaults_at_risk, summary.at_risk_fall, shocked.liquidatable_vaults
		));
	}
	if summary.covered > summary.debt_at_risk
		|| summary.backstop_coverage.is_some() == summary.debt_at_risk.is_zero()
	{
		return Err(format!("coverage {:?} of {:?}", summary.covered, summary.debt_at_risk));
	}
	Ok(())
}

/// Whether any market `who` is in is frozen (liquidation refused there).
fn frozen_market(who: &AccountId) -> bool {
	Lending::positions_of(who).into_iter().any(|(asset, _)| {
		pallet_lending::Markets::<Runtime>::get(asset)
			.is_some_and(|market| market.status == pallet_lending::MarketStatus::Frozen)
	})
}
