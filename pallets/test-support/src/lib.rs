//! Test doubles the pallets' mock runtimes share (a dev-dependency only): test assets described
//! by their decimals, minimum balance and price, a price feed the tests set by hand, fresh,
//! stale, missing or with a jump held per asset, and the amounts the property tests draw.

use core::{cell::RefCell, marker::PhantomData};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Time,
};
use lever_primitives::{
	AssetId, Balance, Price, PriceError, PriceProvider, PriceScenario, PriceSource, RiskPrices,
};
use proptest::prelude::*;
use sp_runtime::{DispatchError, FixedU128};
use std::collections::BTreeMap;

/// A test asset: identifier, decimals, minimum balance and USD price in cents.
#[derive(Clone, Copy, Debug)]
pub struct TestAsset {
	/// The asset's identifier in pallet-assets.
	pub id: AssetId,
	/// Its symbol, for metadata.
	pub symbol: &'static str,
	/// Its decimals.
	pub decimals: u8,
	/// Its minimum balance.
	pub min_balance: Balance,
	/// Its price at genesis, in US cents.
	pub price_cents: u128,
}

impl TestAsset {
	/// `tokens` whole tokens in the smallest unit.
	pub const fn units(&self, tokens: u128) -> Balance {
		match lever_primitives::unit(self.decimals) {
			Some(unit) => tokens * unit,
			None => panic!("a test asset has at most 38 decimals"),
		}
	}

	/// Its genesis price in USD per whole token.
	pub fn genesis_price(&self) -> FixedU128 {
		FixedU128::from_rational(self.price_cents, 100)
	}
}

thread_local! {
	/// Each asset's price, or why there is none.
	static PRICES: RefCell<BTreeMap<AssetId, Result<FixedU128, PriceError>>> =
		const { RefCell::new(BTreeMap::new()) };
	/// Each asset's last price set, kept when it goes stale.
	static LAST: RefCell<BTreeMap<AssetId, FixedU128>> = const { RefCell::new(BTreeMap::new()) };
	/// A jump the oracle would hold, per asset, until the next price set.
	static HELD: RefCell<BTreeMap<AssetId, FixedU128>> = const { RefCell::new(BTreeMap::new()) };
}

/// Sets an asset's fresh price.
pub fn set_price(asset: TestAsset, value: FixedU128) {
	set_price_of(asset.id, value);
}

/// Sets the fresh price of the asset with this identifier.
pub fn set_price_of(asset: AssetId, value: FixedU128) {
	PRICES.with(|prices| prices.borrow_mut().insert(asset, Ok(value)));
	LAST.with(|last| last.borrow_mut().insert(asset, value));
	HELD.with(|held| held.borrow_mut().remove(&asset));
}

/// Holds a jump of an asset's price to `value`, as the oracle's circuit breaker does: the
/// confirmed price stays, actions that add risk see both ([`PriceProvider::risk_prices`]).
/// The next [`set_price`] confirms or replaces it.
pub fn hold_price(asset: TestAsset, value: FixedU128) {
	HELD.with(|held| held.borrow_mut().insert(asset.id, value));
}

/// Makes an asset's price stale.
pub fn make_stale(asset: TestAsset) {
	PRICES.with(|prices| prices.borrow_mut().insert(asset.id, Err(PriceError::Stale)));
}

/// Makes an asset unpriced.
pub fn forget_price(asset: TestAsset) {
	PRICES.with(|prices| prices.borrow_mut().remove(&asset.id));
	LAST.with(|last| last.borrow_mut().remove(&asset.id));
	HELD.with(|held| held.borrow_mut().remove(&asset.id));
}

/// Gives every asset its genesis price and forgets every other.
pub fn reset_prices(assets: &[TestAsset]) {
	PRICES.with(|prices| prices.borrow_mut().clear());
	LAST.with(|last| last.borrow_mut().clear());
	HELD.with(|held| held.borrow_mut().clear());
	for asset in assets {
		set_price(*asset, asset.genesis_price());
	}
}

/// A price feed the tests control, dated by `Clock` (the mock's pallet-timestamp).
pub struct TestPrices<Clock>(PhantomData<Clock>);

impl<Clock> TestPrices<Clock> {
	/// The asset's last price set, fresh or not, or its genesis price.
	pub fn price_of(asset: TestAsset) -> FixedU128 {
		PRICES.with(|prices| match prices.borrow().get(&asset.id) {
			Some(Ok(value)) => *value,
			_ => asset.genesis_price(),
		})
	}
}

impl<Clock: Time<Moment = u64>> PriceProvider for TestPrices<Clock> {
	fn price(asset: AssetId) -> Result<Price, PriceError> {
		let value = PRICES
			.with(|prices| prices.borrow().get(&asset).copied())
			.unwrap_or(Err(PriceError::Unknown))?;
		Ok(Price { value, updated_at: Clock::now(), round: 0, source: PriceSource::Feeds })
	}

	fn risk_prices(asset: AssetId) -> Result<RiskPrices, PriceError> {
		let value = Self::price(asset)?.value;
		Ok(match HELD.with(|held| held.borrow().get(&asset).copied()) {
			Some(held) => RiskPrices::held(value, held),
			None => RiskPrices::at(value),
		})
	}

	fn last_price(asset: AssetId) -> Option<Price> {
		let value = LAST.with(|last| last.borrow().get(&asset).copied())?;
		Some(Price { value, updated_at: 0, round: 0, source: PriceSource::Feeds })
	}
}

impl<Clock> PriceScenario for TestPrices<Clock> {
	fn with_prices<R>(
		prices: &[(AssetId, FixedU128)],
		f: impl FnOnce() -> R,
	) -> Result<R, DispatchError> {
		let saved = (
			PRICES.with(|map| map.borrow().clone()),
			LAST.with(|map| map.borrow().clone()),
			HELD.with(|map| map.borrow().clone()),
		);
		let result = with_transaction(|| {
			for &(asset, value) in prices {
				set_price_of(asset, value);
			}
			TransactionOutcome::Rollback(Ok::<_, DispatchError>(f()))
		});
		PRICES.with(|map| *map.borrow_mut() = saved.0);
		LAST.with(|map| *map.borrow_mut() = saved.1);
		HELD.with(|map| *map.borrow_mut() = saved.2);
		result
	}
}

/// An amount a property test draws: hundredths of a token, the minimum balance, or an edge value.
#[derive(Clone, Copy, Debug)]
pub enum Amount {
	/// This many hundredths of a whole token.
	Hundredths(u128),
	/// The asset's minimum balance.
	MinBalance,
	/// Nothing.
	Zero,
	/// `u128::MAX`.
	Max,
}

impl Amount {
	/// The amount in `asset`'s smallest unit.
	pub fn units(self, asset: TestAsset) -> Balance {
		match self {
			Amount::Hundredths(hundredths) => asset.units(hundredths) / 100,
			Amount::MinBalance => asset.min_balance,
			Amount::Zero => 0,
			Amount::Max => u128::MAX,
		}
	}
}

/// Mostly ordinary amounts below `max_hundredths` hundredths of a token, sometimes an edge value.
pub fn amount(max_hundredths: u128) -> impl Strategy<Value = Amount> {
	prop_oneof![
		12 => (1u128..max_hundredths).prop_map(Amount::Hundredths),
		1 => Just(Amount::MinBalance),
		1 => Just(Amount::Zero),
		1 => Just(Amount::Max),
	]
}

/// Declares a mock runtime's AMM as the chain configures it: pallet-asset-conversion's
/// constant-product pools over the native token (`Balances`) and `Assets`, their LP tokens in a
/// second pallet-assets instance (`PoolAssets`), a 0.3% fee, paths of up to 3 assets, LVR-led
/// pairs and a pool setup fee of 100 native units paid to `$treasury`. It defines `AmmAsset`,
/// `AmmPalletId` and the configs of `pallet_assets::Instance2` and `pallet_asset_conversion`;
/// the mock names its pallets `Balances`, `Assets`, `PoolAssets` and `AssetConversion`, has
/// `u64` accounts and depends on pallet-asset-conversion, pallet-assets and sp-core.
#[macro_export]
macro_rules! test_amm {
	($runtime:ty, treasury: $treasury:ty) => {
		/// What the AMM trades: the native token or an asset.
		pub type AmmAsset = frame_support::traits::tokens::fungible::NativeOrWithId<u32>;
		/// The native token and the assets as one `fungibles`.
		type NativeAndAssets = frame_support::traits::tokens::fungible::UnionOf<
			Balances,
			Assets,
			frame_support::traits::tokens::fungible::NativeFromLeft,
			AmmAsset,
			u64,
		>;
		/// Each pool's account, from its pair.
		type PoolIdToAccountId =
			pallet_asset_conversion::AccountIdConverter<AmmPalletId, (AmmAsset, AmmAsset)>;

		frame_support::parameter_types! {
			pub const AmmPalletId: frame_support::PalletId = frame_support::PalletId(*b"py/ascon");
			pub const AmmNative: AmmAsset = frame_support::traits::tokens::fungible::NativeOrWithId::Native;
			pub const AmmLpFee: sp_runtime::Permill = sp_runtime::Permill::from_parts(3_000);
			pub const AmmMaxSwapFee: sp_runtime::Permill = sp_runtime::Permill::from_percent(10);
			pub const AmmWithdrawalFee: sp_runtime::Permill = sp_runtime::Permill::zero();
		}

		frame_support::ord_parameter_types! {
			pub const AmmAccount: u64 =
				sp_runtime::traits::AccountIdConversion::<u64>::into_account_truncating(
					&AmmPalletId::get(),
				);
		}

		#[frame_support::derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
		impl pallet_assets::Config<pallet_assets::Instance2> for $runtime {
			type Balance = lever_primitives::Balance;
			type Currency = Balances;
			type CreateOrigin = frame_support::traits::AsEnsureOriginWithArg<
				frame_system::EnsureSignedBy<AmmAccount, u64>,
			>;
			type ForceOrigin = frame_system::EnsureRoot<u64>;
			type Freezer = ();
		}

		impl pallet_asset_conversion::Config for $runtime {
			type RuntimeEvent = RuntimeEvent;
			type Balance = lever_primitives::Balance;
			type HigherPrecisionBalance = sp_core::U256;
			type AssetKind = AmmAsset;
			type Assets = NativeAndAssets;
			type PoolId = (AmmAsset, AmmAsset);
			type PoolLocator = pallet_asset_conversion::Chain<
				pallet_asset_conversion::WithFirstAsset<AmmNative, u64, AmmAsset, PoolIdToAccountId>,
				pallet_asset_conversion::Ascending<u64, AmmAsset, PoolIdToAccountId>,
			>;
			type PoolAssetId = u32;
			type PoolAssets = PoolAssets;
			type LPFee = AmmLpFee;
			type AdminOrigin = frame_system::EnsureRoot<u64>;
			type MaxSwapFee = AmmMaxSwapFee;
			type PoolSetupFee = frame_support::traits::ConstU128<100>;
			type PoolSetupFeeAsset = AmmNative;
			type PoolSetupFeeTarget =
				frame_support::traits::tokens::imbalance::ResolveAssetTo<$treasury, NativeAndAssets>;
			type LiquidityWithdrawalFee = AmmWithdrawalFee;
			type MintMinLiquidity = frame_support::traits::ConstU128<100>;
			type MaxSwapPathLength = frame_support::traits::ConstU32<3>;
			type PalletId = AmmPalletId;
			type WeightInfo = ();
			#[cfg(feature = "runtime-benchmarks")]
			type BenchmarkHelper = ();
		}
	};
}

/// The account the pallets' mock runtimes seat as the risk council (their `RiskOrigin`).
pub const RISK_COUNCIL: u64 = 77;

/// [`RISK_COUNCIL`] as its only member, for `frame_system::EnsureSignedBy<RiskCouncil, u64>`.
pub struct RiskCouncil;

impl frame_support::traits::SortedMembers<u64> for RiskCouncil {
	fn sorted_members() -> Vec<u64> {
		vec![RISK_COUNCIL]
	}
}
