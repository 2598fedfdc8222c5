//! The leverage runtime API, which Polkadot.js apps and other clients decode from the metadata:
//! `api.call.leverageApi.previewLeverUp(...)`, `previewLeverDown(...)`, `previewExpand(...)` and
//! `previewShrink(...)`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_leverage::{
	AmountOrAll, AssetId, Balance, ExpandPreview, LeverDownPreview, LeverTarget, LeverUpPreview,
	ShrinkPreview,
};
use sp_runtime::{DispatchError, Permill};

sp_api::decl_runtime_apis! {
	/// Previews of one-click leverage: each runs the call against the current state and rolls it
	/// back, so it shows exactly what the call would do in the next block if nothing else
	/// changed, or the error it would fail with.
	// The client-side functions the macro generates add the block and the call's context to
	// `preview_lever_up`'s six parameters.
	#[allow(clippy::too_many_arguments)]
	pub trait LeverageApi<AccountId>
	where
		AccountId: Codec,
	{
		/// What `lever_up` would do for `who`: collateral supplied, debt borrowed, flash fee and
		/// price impact, and the resulting supply, debt, leverage, health factor and
		/// liquidation price. The minimum health factor is not applied.
		fn preview_lever_up(
			who: AccountId,
			collateral: AssetId,
			debt: AssetId,
			deposit: Balance,
			target: LeverTarget,
			max_slippage: Permill,
		) -> Result<LeverUpPreview, DispatchError>;

		/// What `lever_down` would do for `who`: debt repaid, collateral sold and returned,
		/// flash fee and price impact, and the resulting position. The minimum health factor is
		/// not applied.
		fn preview_lever_down(
			who: AccountId,
			collateral: AssetId,
			debt: AssetId,
			repay: AmountOrAll,
			max_slippage: Permill,
		) -> Result<LeverDownPreview, DispatchError>;

		/// What `expand` would do for `who`'s vault of `asset`: collateral deposited, lvUSD
		/// minted, flash fee and price impact, and the resulting collateral, debt, leverage,
		/// collateral ratio and liquidation price. The minimum ratio is not applied.
		fn preview_expand(
			who: AccountId,
			asset: AssetId,
			deposit: Balance,
			target: LeverTarget,
			max_slippage: Permill,
		) -> Result<ExpandPreview, DispatchError>;

		/// What `shrink` would do for `who`'s vault of `asset`: lvUSD repaid, collateral sold
		/// and returned, flash fee and price impact, and the resulting vault. The minimum ratio
		/// is not applied.
		fn preview_shrink(
			who: AccountId,
			asset: AssetId,
			repay: AmountOrAll,
			max_slippage: Permill,
		) -> Result<ShrinkPreview, DispatchError>;
	}
}
