//! XCM: how other chains' messages act on Lever (the executor's configuration) and pallet-xcm,
//! through which accounts here send and execute messages.
//!
//! What a message from another chain can do here:
//! - carry LVR or Lever's own pallet-assets tokens (Lever is their reserve), or a token governance
//!   registered in pallet-asset-registry, and that only from the chain it lives on; anything else
//!   is refused, never minted;
//! - pay for its execution in LVR, or in a registered token at its governance-set rate;
//! - act as an account derived from its origin (a sibling's sovereign account, the relay's, or an
//!   account derived from a remote user with `DescendOrigin`) and `Transact` the lending, vault,
//!   assets and balances calls, and nothing else.
//!
//! Lever is a standalone chain: it has no XCM transport of its own, so its router is empty and
//! sending fails with `Unroutable` until a bridge or a parachain slot gives it one. The executor
//! configuration is therefore generic over its router ([`XcmConfigWith`]): the runtime uses
//! [`XcmRouter`], and tests run the same configuration over a simulated network.

use core::marker::PhantomData;
use frame_support::{
	parameter_types,
	traits::{ConstU32, Contains, Disabled, Everything, Nothing, PalletInfoAccess},
	weights::Weight,
};
use frame_system::EnsureRoot;
use pallet_asset_registry::adapters::{ForeignAssetFeeTrader, IsForeignReserve, IsRegistered};
use pallet_xcm::XcmPassthrough;
use polkadot_parachain_primitives::primitives::Sibling;
use sp_runtime::traits::{Identity, MaybeEquivalence};
use xcm::latest::prelude::*;
use xcm_builder::{
	AccountId32Aliases, AllowKnownQueryResponses, AllowSubscriptionsFrom,
	AllowTopLevelPaidExecutionFrom, DescribeAllTerminal, DescribeFamily, EnsureXcmOrigin,
	FixedWeightBounds, FrameTransactionalProcessor, FungibleAdapter, FungiblesAdapter,
	HashedDescription, IsConcrete, MatchedConvertedConcreteId, NoChecking, ParentIsPreset,
	SiblingParachainConvertsVia, SignedAccountId32AsNative, SignedToAccountId32,
	SovereignSignedViaLocation, TakeRevenue, TakeWeightCredit, TrailingSetTopicAsId,
	UsingComponents, WithComputedOrigin, WithUniqueTopic,
};
use xcm_executor::{
	traits::{ConvertLocation, TransactAsset},
	AssetsInHolding, XcmExecutor,
};

use super::{lending::TreasuryAccount, monetary::WeightToFee};
use crate::{
	AccountId, AllPalletsWithSystem, AssetId, AssetRegistry, Assets, Balance, Balances,
	PolkadotXcm, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
};

/// The parachain identifier Lever's XCM identity uses. Lever is standalone today; if Polkadot
/// assigns it another identifier at onboarding, this constant changes with that runtime upgrade.
pub const LEVER_PARA_ID: u32 = 4_000;

parameter_types! {
	/// The consensus system Lever's XCM identity belongs to.
	pub const RelayNetwork: Option<NetworkId> = Some(NetworkId::Polkadot);
	/// Where Lever is in the universe of consensus systems.
	pub UniversalLocation: InteriorLocation =
		[GlobalConsensus(NetworkId::Polkadot), Parachain(LEVER_PARA_ID)].into();
	/// LVR, the native token, as XCM names it here.
	pub const HereLocation: Location = Location::here();
	/// The cost of one instruction: 1 ms of execution and 64 KiB of proof; a `Transact` adds the
	/// benchmarked weight of its call. The heaviest other instruction here moves one balance in
	/// pallet-balances or pallet-assets, about what a transfer costs (148 µs with storage in
	/// docs/PERFORMANCE.md), so a message never executes more than it paid for.
	pub const UnitWeightCost: Weight = Weight::from_parts(1_000_000_000, 64 * 1024);
	/// The most instructions a message may have, nested ones included.
	pub const MaxInstructions: u32 = 100;
	/// pallet-xcm's account for teleport accounting; unused, as nothing is teleported.
	pub CheckingAccount: AccountId = PolkadotXcm::check_account();
	/// The most distinct assets a message may hold at once.
	pub const MaxAssetsIntoHolding: u32 = 16;
}

/// How a location becomes an account here:
/// - the relay chain: its preset sovereign account;
/// - a sibling parachain: `sibl` + its identifier;
/// - an `AccountId32` on this chain: that account;
/// - anything else (a remote user, a remote pallet): an account hashed from its description, the
///   same on every chain that uses `HashedDescription<DescribeFamily<DescribeAllTerminal>>`.
pub type LocationToAccountId = (
	ParentIsPreset<AccountId>,
	SiblingParachainConvertsVia<Sibling, AccountId>,
	AccountId32Aliases<RelayNetwork, AccountId>,
	HashedDescription<AccountId, DescribeFamily<DescribeAllTerminal>>,
);

/// LVR, moved in and out of pallet-balances. Lever is its reserve, so nothing is teleported and no
/// checking account is kept.
pub type NativeTransactor =
	FungibleAdapter<Balances, IsConcrete<HereLocation>, LocationToAccountId, AccountId, ()>;

/// Registered foreign assets, minted and burned in pallet-assets. A location the registry does
/// not know matches nothing, so it is never minted.
pub type ForeignAssetsTransactor = FungiblesAdapter<
	Assets,
	MatchedConvertedConcreteId<AssetId, Balance, IsRegistered<Runtime>, AssetRegistry, Identity>,
	LocationToAccountId,
	AccountId,
	NoChecking,
	CheckingAccount,
>;

/// How much weight a message needs: [`UnitWeightCost`] an instruction, plus a `Transact`'s call.
pub type Weigher = FixedWeightBounds<UnitWeightCost, RuntimeCall, MaxInstructions>;

/// Lever's own pallet-assets tokens (lvUSD and the listed assets), of which Lever is the reserve,
/// at `(0, [PalletInstance(<Assets' index>), GeneralIndex(id)])`. Registered foreign assets are not
/// among them: they move only under their own chain's location.
pub struct LocalAssetIds;
impl MaybeEquivalence<Location, AssetId> for LocalAssetIds {
	fn convert(location: &Location) -> Option<AssetId> {
		match location.unpack() {
			(0, [PalletInstance(pallet), GeneralIndex(id)])
				if usize::from(*pallet) == <Assets as PalletInfoAccess>::index() =>
			{
				let id = AssetId::try_from(*id).ok()?;
				AssetRegistry::location_of(id).is_none().then_some(id)
			},
			_ => None,
		}
	}

	fn convert_back(id: &AssetId) -> Option<Location> {
		let pallet = u8::try_from(<Assets as PalletInfoAccess>::index()).ok()?;
		AssetRegistry::location_of(*id)
			.is_none()
			.then(|| Location::new(0, [PalletInstance(pallet), GeneralIndex(u128::from(*id))]))
	}
}

impl Contains<Location> for LocalAssetIds {
	fn contains(location: &Location) -> bool {
		<Self as MaybeEquivalence<Location, AssetId>>::convert(location).is_some()
	}
}

/// Lever's own tokens, moved between accounts here (reserve transfers out go to the destination's
/// sovereign account; reserve withdrawals back come out of it).
pub type LocalAssetsTransactor = FungiblesAdapter<
	Assets,
	MatchedConvertedConcreteId<AssetId, Balance, LocalAssetIds, LocalAssetIds, Identity>,
	LocationToAccountId,
	AccountId,
	NoChecking,
	CheckingAccount,
>;

/// Every asset XCM can move here.
pub type AssetTransactors = (NativeTransactor, ForeignAssetsTransactor, LocalAssetsTransactor);

/// The origin a `Transact` dispatches with: the signed account its location converts to, an
/// `AccountId32` of this network as that account, or pallet-xcm's XCM origin.
pub type XcmOriginToTransactDispatchOrigin = (
	SovereignSignedViaLocation<LocationToAccountId, RuntimeOrigin>,
	SignedAccountId32AsNative<RelayNetwork, RuntimeOrigin>,
	XcmPassthrough<RuntimeOrigin>,
);

/// The relay chain and its parachains: the only ones that may subscribe to version changes.
pub struct ParentOrSiblings;
impl Contains<Location> for ParentOrSiblings {
	fn contains(location: &Location) -> bool {
		matches!(location.unpack(), (1, []) | (1, [Parachain(_)]))
	}
}

/// Which messages execute at all: those that paid for their weight (at the top level or after
/// origin-changing prefixes such as `DescendOrigin`), responses to queries this chain made,
/// and version subscriptions from the relay or a sibling. Nothing runs for free.
pub type Barrier = TrailingSetTopicAsId<(
	TakeWeightCredit,
	AllowKnownQueryResponses<PolkadotXcm>,
	WithComputedOrigin<
		(AllowTopLevelPaidExecutionFrom<Everything>, AllowSubscriptionsFrom<ParentOrSiblings>),
		UniversalLocation,
		ConstU32<8>,
	>,
)>;

/// The calls a `Transact` may dispatch: the lending pools, the vaults, pallet-assets and LVR
/// transfers. Governance, the oracle, the liquidation engine, pallet-xcm itself and everything
/// else are refused with `NoPermission`.
pub struct TransactFilter;
impl Contains<RuntimeCall> for TransactFilter {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Lending(_)
				| RuntimeCall::Vaults(_)
				| RuntimeCall::Assets(_)
				| RuntimeCall::Balances(_)
		)
	}
}

/// What foreign-asset fees become: a deposit to the treasury. (LVR fees are burned, as
/// transaction fees are.) A deposit that cannot be made (below the asset's minimum balance) is
/// dropped, which burns it.
pub struct ForeignFeesToTreasury;
impl TakeRevenue for ForeignFeesToTreasury {
	fn take_revenue(revenue: AssetsInHolding) {
		let treasury: Location =
			AccountId32 { network: None, id: TreasuryAccount::get().into() }.into();
		// On failure the returned holding is dropped here, burning the fees.
		let _ = AssetTransactors::deposit_asset(revenue, &treasury, None);
	}
}

/// XCM execution is sold in LVR (burned) or in a registered asset with a fee rate (to the
/// treasury), at the same weight-to-fee rule as transactions.
pub type Trader = (
	UsingComponents<WeightToFee, HereLocation, AccountId, Balances, ()>,
	ForeignAssetFeeTrader<Runtime, WeightToFee, ForeignFeesToTreasury>,
);

/// Lever has no XCM transport of its own: messages to other chains are `Unroutable`.
pub type XcmRouter = WithUniqueTopic<()>;

/// The executor's configuration over a router `Router`; the runtime runs [`XcmConfig`].
pub struct XcmConfigWith<Router>(PhantomData<Router>);

impl<Router: SendXcm> xcm_executor::Config for XcmConfigWith<Router> {
	type RuntimeCall = RuntimeCall;
	type XcmSender = Router;
	type XcmEventEmitter = PolkadotXcm;
	type AssetTransactor = AssetTransactors;
	type OriginConverter = XcmOriginToTransactDispatchOrigin;
	type IsReserve = IsForeignReserve<Runtime>;
	type IsTeleporter = ();
	type UniversalLocation = UniversalLocation;
	type Barrier = Barrier;
	type Weigher = Weigher;
	type Trader = Trader;
	type ResponseHandler = PolkadotXcm;
	type AssetTrap = PolkadotXcm;
	type AssetLocker = ();
	type AssetExchanger = ();
	type SubscriptionService = PolkadotXcm;
	type PalletInstancesInfo = AllPalletsWithSystem;
	type MaxAssetsIntoHolding = MaxAssetsIntoHolding;
	type FeeManager = ();
	type MessageExporter = ();
	type UniversalAliases = Nothing;
	type CallDispatcher = RuntimeCall;
	type SafeCallFilter = TransactFilter;
	type Aliasers = Nothing;
	type TransactionalProcessor = FrameTransactionalProcessor;
	type HrmpNewChannelOpenRequestHandler = ();
	type HrmpChannelAcceptedHandler = ();
	type HrmpChannelClosingHandler = ();
	type XcmRecorder = PolkadotXcm;
}

/// The executor configuration the runtime runs.
pub type XcmConfig = XcmConfigWith<XcmRouter>;

/// A signed account here, as an XCM location (`AccountId32` of this network).
pub type LocalOriginToLocation = SignedToAccountId32<RuntimeOrigin, AccountId, RelayNetwork>;

/// pallet-xcm: signed accounts may execute XCM here and try to send it (sending fails until Lever
/// has a transport); reserve transfers are allowed, teleports are not; root administers.
impl pallet_xcm::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type SendXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	type XcmRouter = XcmRouter;
	type ExecuteXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	type XcmExecuteFilter = Everything;
	type XcmExecutor = XcmExecutor<XcmConfig>;
	type XcmTeleportFilter = Nothing;
	type XcmReserveTransferFilter = Everything;
	type Weigher = Weigher;
	type UniversalLocation = UniversalLocation;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	const VERSION_DISCOVERY_QUEUE_SIZE: u32 = 100;
	type AdvertisedXcmVersion = pallet_xcm::CurrentXcmVersion;
	type AdminOrigin = EnsureRoot<AccountId>;
	type TrustedLockers = ();
	type SovereignAccountOf = LocationToAccountId;
	type Currency = Balances;
	type CurrencyMatcher = IsConcrete<HereLocation>;
	type MaxLockers = ConstU32<8>;
	type MaxRemoteLockConsumers = ConstU32<0>;
	type RemoteLockConsumerIdentifier = ();
	type WeightInfo = crate::weights::pallet_xcm::WeightInfo<Runtime>;
	type AuthorizedAliasConsideration = Disabled;
}

parameter_types! {
	/// The account that owns every registered foreign asset.
	pub const AssetRegistryPalletId: frame_support::PalletId = frame_support::PalletId(*b"lvr/areg");
}

/// The foreign-asset registry: governance (root) lists tokens under identifiers 100 to 999, below
/// the first identifier users can create (1,000) and above the test assets and lvUSD.
impl pallet_asset_registry::Config for Runtime {
	type FirstAssetId = ConstU32<100>;
	type LastAssetId = ConstU32<999>;
	type PalletId = AssetRegistryPalletId;
	type WeightInfo = crate::weights::pallet_asset_registry::WeightInfo<Runtime>;
}

/// The account a location converts to here (also served by `LocationToAccountApi`).
pub fn account_of(location: &Location) -> Option<AccountId> {
	LocationToAccountId::convert_location(location)
}
