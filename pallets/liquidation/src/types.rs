//! The liquidation engine's types: queue items, the vault index, backstop pools and auctions.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{ConstU32, Get},
	BoundedVec,
};
use lever_primitives::{AssetId, Balance, Seconds, SeizedAs};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::{U256, U512};
use sp_runtime::{ArithmeticError, FixedPointNumber, FixedU128, Permill, Saturating};

/// A bucket of the vault index: the position of a debt per collateral on a logarithmic scale with
/// 64 buckets per doubling, so neighbouring buckets differ by at most 1.6%.
pub type BucketKey = u16;

/// The number of buckets per doubling of the debt per collateral, as a power of two.
pub const MANTISSA_BITS: u32 = 6;

/// The bucket of a debt per collateral: its binary exponent followed by the six bits after its
/// leading one. Larger ratios never get a smaller key.
pub fn bucket_of(ratio: FixedU128) -> BucketKey {
	let inner = ratio.into_inner();
	let exponent = u128::BITS.saturating_sub(inner.leading_zeros());
	if exponent == 0 {
		return 0;
	}
	let shift = exponent.saturating_sub(1);
	let mantissa = if shift >= MANTISSA_BITS {
		inner >> (shift - MANTISSA_BITS)
	} else {
		inner << (MANTISSA_BITS - shift)
	} & ((1 << MANTISSA_BITS) - 1);
	// At most 128 × 64 + 63, well inside a u16.
	((exponent << MANTISSA_BITS) as u16).saturating_add(mantissa as u16)
}

/// One word per binary exponent (0 to 128) in the index's record of non-empty buckets.
pub const OCCUPANCY_WORDS: u32 = u128::BITS + 1;

/// One position waiting in the liquidation queue.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum QueueItem<AccountId> {
	/// The vault of `owner` for collateral `asset`.
	Vault {
		/// The collateral type.
		asset: AssetId,
		/// The vault's owner.
		owner: AccountId,
	},
	/// A lending account.
	Lending {
		/// The borrower.
		account: AccountId,
	},
}

/// How the engine liquidated one (debt, collateral) pair of a lending account.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum LendingRoute {
	/// The backstop pool of the debt asset repaid the debt and received the seized collateral
	/// with the bonus, as tokens or, when the collateral market lacked the cash, as supply
	/// shares.
	Backstop {
		/// What the pool received.
		seized_as: SeizedAs,
	},
	/// The engine sold `sold` of the seized collateral on the AMM for exactly the repayment;
	/// the rest of the seized collateral went to the collateral market's reserves.
	Amm {
		/// Collateral the AMM took, in its smallest unit.
		sold: Balance,
	},
	/// No one could repay at once: the engine's book for the pair
	/// ([`crate::Pallet::book_account`]) took over the debt and the seized collateral (as
	/// supply shares, with the bonus). The borrower is liquidated; the book is liquidated in
	/// turn, by the backstop, the AMM or anyone, as soon as one of them can.
	TakenOver,
}

/// Where the index keeps a vault with debt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum VaultSlot {
	/// In this bucket of its collateral type.
	Bucket(BucketKey),
	/// In the liquidation queue; it returns to a bucket if it is safe when its turn comes.
	Queued,
}

/// A vault as the index last heard of it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct IndexedVault {
	/// Collateral, in the asset's smallest unit.
	pub collateral: Balance,
	/// Normalized debt (debt divided by the type's rate).
	pub normalized_debt: Balance,
}

impl IndexedVault {
	/// Normalized debt per unit of collateral, the quantity the index sorts by. A vault without
	/// collateral sorts above everything.
	pub fn debt_per_collateral(&self) -> FixedU128 {
		if self.collateral == 0 {
			return FixedU128::from_inner(u128::MAX);
		}
		FixedU128::checked_from_rational(self.normalized_debt, self.collateral)
			.unwrap_or(FixedU128::from_inner(u128::MAX))
	}
}

/// How far detection has checked the boundary buckets of one collateral type: the buckets that
/// hold both safe and unsafe vaults, which are checked one by one.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct BoundaryScan {
	/// The lowest and highest boundary bucket of the last complete check.
	pub range: Option<(BucketKey, BucketKey)>,
	/// The largest debt per collateral of a vault found safe in that check: until the unsafe ratio
	/// falls to it, no vault in the range can have become unsafe.
	pub riskiest_safe: FixedU128,
	/// A vault entered the boundary range when it could not be checked alone (a stale price or
	/// a full queue), so the whole boundary must be checked again.
	pub dirty: bool,
	/// Where an unfinished check resumes: the bucket, and the last vault owner checked in it
	/// (its storage key suffix).
	pub resume: Option<(BucketKey, BoundedVec<u8, ResumeKeyLen>)>,
}

/// The longest storage key suffix a boundary check resumes from.
pub type ResumeKeyLen = frame_support::traits::ConstU32<128>;

/// What a backstop pool gains from a liquidation, and the unit its gain is counted in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum GainAsset {
	/// Tokens of a collateral asset, counted in its smallest unit.
	Tokens(AssetId),
	/// Supply shares of a lending market, counted in shares: what a pool receives when the
	/// collateral market has lent out its cash (Aave's receive-aToken). They keep earning the
	/// market's interest, and are paid out as tokens once the market has the cash, or else as
	/// the shares themselves.
	Supply(AssetId),
}

impl GainAsset {
	/// The asset of the tokens, or of the market the shares are in.
	pub fn asset(&self) -> AssetId {
		match self {
			Self::Tokens(asset) | Self::Supply(asset) => *asset,
		}
	}
}

/// One backstop pool: deposits of one asset that repay liquidated debt in that asset and receive
/// the seized collateral, shared pro rata with Liquity's product/sum snapshots.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxGainAssets))]
#[codec(mel_bound())]
pub struct BackstopPool<MaxGainAssets: Get<u32>> {
	/// What the pool holds of its asset that shares in liquidations: every depositor's shares,
	/// after the losses they absorbed, plus rounding (deposits still waiting to join are in
	/// `waiting`).
	pub deposits: Balance,
	/// The running product P, in units of [`PRODUCT_UNIT`], by which every deposit has shrunk in
	/// the current epoch since the current scale began. Always within
	/// [[`PRODUCT_FLOOR`], [`PRODUCT_UNIT`]].
	pub product: u128,
	/// Increases when a liquidation empties the pool: older deposits are then worth nothing.
	pub epoch: u32,
	/// Increases each time the product is rescaled by [`SCALE_FACTOR`] to stay above its floor.
	pub scale: u32,
	/// The collateral (tokens or supply shares) the pool has ever received.
	pub gain_assets: BoundedVec<GainAsset, MaxGainAssets>,
	/// Deposits not yet sharing in liquidations, by the block they were made in: they join
	/// [`Self::deposits`] [`JOIN_DELAY`] blocks later, at the pool's first use from then on.
	pub waiting: BoundedVec<(u32, Balance), ConstU32<JOIN_DELAY>>,
	/// An upper bound on what of [`Self::deposits`] no depositor owns: a deposit's value is
	/// rounded down for its shares and for its joined part (two units each time one is made), a
	/// withdrawal's once, a loss's product by less than a unit per [`PRODUCT_FLOOR`] of
	/// deposits. The share of every gain this part takes is counted as unclaimable.
	pub rounding: Balance,
}

impl<MaxGainAssets: Get<u32>> Default for BackstopPool<MaxGainAssets> {
	fn default() -> Self {
		Self {
			deposits: 0,
			product: PRODUCT_UNIT,
			epoch: 0,
			scale: 0,
			gain_assets: BoundedVec::new(),
			waiting: BoundedVec::new(),
			rounding: 0,
		}
	}
}

/// Whether a deposit made in block `made` shares in the liquidations of block `now`: from
/// [`JOIN_DELAY`] blocks after it was made.
pub fn has_joined(made: u32, now: u32) -> bool {
	made.saturating_add(JOIN_DELAY) <= now
}

/// How many blocks a backstop deposit waits before it shares in liquidations. Two, so that a
/// deposit made once a liquidation can be foreseen (the vault queued, the price that makes it
/// unsafe submitted in the block) never shares in it: what is known in block `b` is liquidated
/// in `b + 1` unless the queue is longer than a block's budget.
pub const JOIN_DELAY: u32 = 2;

impl<MaxGainAssets: Get<u32>> BackstopPool<MaxGainAssets> {
	/// The waiting deposits that have joined by block `now` but were not yet moved into
	/// [`Self::deposits`].
	pub fn joined_by(&self, now: u32) -> Balance {
		self.waiting
			.iter()
			.filter(|(made, _)| has_joined(*made, now))
			.fold(0, |total, (_, amount)| total.saturating_add(*amount))
	}

	/// Everything waiting, joined or not.
	pub fn all_waiting(&self) -> Balance {
		self.waiting.iter().fold(0, |total, (_, amount)| total.saturating_add(*amount))
	}

	/// Adds `amount` to the deposits waiting since block `made`.
	///
	/// Errors: `Overflow` when there is no room (deposits of more than [`JOIN_DELAY`] blocks
	/// waiting: the joined ones must be moved first) or the amount would overflow.
	pub fn wait(&mut self, made: u32, amount: Balance) -> Result<(), ArithmeticError> {
		if let Some((_, waiting)) = self.waiting.iter_mut().find(|(block, _)| *block == made) {
			*waiting = waiting.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			return Ok(());
		}
		self.waiting.try_push((made, amount)).map_err(|_| ArithmeticError::Overflow)
	}

	/// Takes `amount` out of the deposits waiting since block `made` (what is there, at most).
	pub fn unwait(&mut self, made: u32, amount: Balance) {
		for (block, waiting) in self.waiting.iter_mut() {
			if *block == made {
				*waiting = waiting.saturating_sub(amount);
			}
		}
		self.waiting.retain(|(_, waiting)| *waiting != 0);
	}

	/// What `deposit` is worth now, after the losses the pool took since its snapshot:
	/// `amount · P / (P₀ · SCALE_FACTOR^Δscale)`, rounded down (so the claims never exceed the
	/// deposits). Nothing once a liquidation emptied the pool (another epoch), or after more
	/// than [`SCALE_SPAN`] rescales: the deposit has then lost more than 1 − 10⁻¹⁸ of its
	/// value.
	pub fn value_of(&self, deposit: &Deposit<MaxGainAssets>) -> Balance {
		if deposit.epoch != self.epoch {
			return 0;
		}
		let Some(span) = self.scale.checked_sub(deposit.scale).filter(|span| *span <= SCALE_SPAN)
		else {
			return 0;
		};
		let divisor = wide(deposit.product).checked_mul(scale_power(span));
		divisor
			.and_then(|divisor| wide_mul_div(wide(deposit.amount), wide(self.product), divisor))
			.unwrap_or(0)
	}

	/// Takes a loss of `debt` from the deposits: P becomes `P · (Q − D) / Q`, rounded down, and
	/// is rescaled by [`SCALE_FACTOR`] (raising the scale) before the division as many times as
	/// it takes to stay at or above [`PRODUCT_FLOOR`], at most [`MAX_RESCALES`] (enough for any
	/// pool below 2¹²⁸ units). A loss of every deposit starts a new epoch with P = 1 instead.
	///
	/// Errors: `Underflow` when `debt` exceeds the deposits, `Overflow` if the epoch or scale
	/// counter would wrap.
	pub fn take_loss(&mut self, debt: Balance) -> Result<(), ArithmeticError> {
		if debt == 0 {
			return Ok(());
		}
		let left = self.deposits.checked_sub(debt).ok_or(ArithmeticError::Underflow)?;
		if left == 0 {
			self.epoch = self.epoch.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			self.scale = 0;
			self.product = PRODUCT_UNIT;
			self.deposits = 0;
			self.rounding = 0;
			return Ok(());
		}
		self.rounding =
			self.rounding.saturating_add(1).saturating_add(self.deposits / PRODUCT_FLOOR);
		let held = wide(self.deposits);
		let mut numerator =
			wide(self.product).checked_mul(wide(left)).ok_or(ArithmeticError::Overflow)?;
		let mut rescales = 0u32;
		let product = loop {
			let product = numerator.checked_div(held).ok_or(ArithmeticError::DivisionByZero)?;
			if product >= wide(PRODUCT_FLOOR) {
				break product;
			}
			if rescales == MAX_RESCALES {
				return Err(ArithmeticError::Underflow);
			}
			numerator =
				numerator.checked_mul(wide(SCALE_FACTOR)).ok_or(ArithmeticError::Overflow)?;
			rescales += 1;
		};
		self.product = u128::try_from(product).map_err(|_| ArithmeticError::Overflow)?;
		self.scale = self.scale.checked_add(rescales).ok_or(ArithmeticError::Overflow)?;
		self.deposits = left;
		Ok(())
	}
}

/// The fixed-point unit of the pools' product: P is 1 (this) when an epoch starts. 36 digits,
/// so a loss rounds away at most 10⁻²⁷ of the deposits (Liquity v2's precision).
pub const PRODUCT_UNIT: u128 = 1_000_000_000_000_000_000_000_000_000_000_000_000;

/// The factor by which the product is rescaled (and the scale raised) when it would fall below
/// [`PRODUCT_FLOOR`].
pub const SCALE_FACTOR: u128 = 1_000_000_000;

/// The least the product may be within an epoch: `PRODUCT_UNIT / SCALE_FACTOR`.
pub const PRODUCT_FLOOR: u128 = PRODUCT_UNIT / SCALE_FACTOR;

/// How many rescales a deposit's value and gains are followed across (Liquity's span).
pub const SCALE_SPAN: u32 = 2;

/// The most rescales one loss can need: `P · (Q − D) / Q ≥ 10²⁷ / 2¹²⁸ > 10⁻¹²`, and five
/// rescales of 10⁹ bring that back above 10²⁷.
pub const MAX_RESCALES: u32 = 5;

/// `value` widened for products that do not fit in 128 bits.
pub fn wide(value: u128) -> U512 {
	U512::from(value)
}

/// `SCALE_FACTOR^span`, saturating (it fits for any span up to 56).
pub fn scale_power(span: u32) -> U512 {
	wide(SCALE_FACTOR).checked_pow(U512::from(span)).unwrap_or(U512::MAX)
}

/// `a · b / c`, rounded down; `None` if `c` is zero or the result exceeds 128 bits.
pub fn wide_mul_div(a: U512, b: U512, c: U512) -> Option<u128> {
	let quotient = a.checked_mul(b)?.checked_div(c)?;
	u128::try_from(quotient).ok()
}

/// What a pool holds of one gain (collateral tokens or supply shares).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Gains {
	/// Received and not yet paid out: tokens in their smallest unit, supply in shares.
	pub held: Balance,
	/// The remainder of the last division into the gain's sum S (Liquity's error feedback),
	/// in units of gain × product: added to the next gain's numerator, so the rounding of S
	/// does not accumulate.
	pub carry: Balance,
	/// An upper bound on what of `held` no deposit can claim: each settled deposit's share of
	/// the gain is rounded down twice at most (its shares and its joined part), so every
	/// settlement adds two units, and every gain adds the share of the deposits no depositor
	/// owns ([`BackstopPool::rounding`]), rounded up.
	pub unclaimable: Balance,
}

/// The deposits of one block that wait to join a backstop pool: how many depositors' waiting
/// parts began then, and the pool's snapshots at the moment they joined (none before).
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxGainAssets))]
#[codec(mel_bound())]
pub struct Join<MaxGainAssets: Get<u32>> {
	/// Deposits whose waiting part began in the block.
	pub depositors: u32,
	/// The pool's snapshots when they joined, as a deposit of nothing.
	pub snapshot: Option<Deposit<MaxGainAssets>>,
}

/// A depositor's stake in a backstop pool, with the snapshots its value is computed from.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxGainAssets))]
#[codec(mel_bound())]
pub struct Deposit<MaxGainAssets: Get<u32>> {
	/// The deposit when the snapshots were taken.
	pub amount: Balance,
	/// The pool's product then.
	pub product: u128,
	/// The pool's epoch then.
	pub epoch: u32,
	/// The pool's scale then.
	pub scale: u32,
	/// The pool's sum per gain then (gains missing had none).
	pub sums: BoundedVec<(GainAsset, U256), MaxGainAssets>,
	/// Gains earned before the snapshots that could not be paid then (tokens below the asset's
	/// minimum balance for an account without it, shares of a frozen market): still the
	/// depositor's, paid with the next gains.
	pub unpaid: BoundedVec<(GainAsset, Balance), MaxGainAssets>,
	/// What was last added and its block: it shares in liquidations from [`JOIN_DELAY`] blocks
	/// later, with the snapshots of the moment it joined ([`crate::Joins`]). Adding more
	/// restarts the wait for all of it.
	pub waiting: Option<(u32, Balance)>,
}

impl<MaxGainAssets: Get<u32>> Deposit<MaxGainAssets> {
	/// The pool's sum of `asset` when the snapshots were taken (zero if it had none).
	pub fn sum(&self, asset: GainAsset) -> U256 {
		self.sums
			.iter()
			.find(|(gain, _)| *gain == asset)
			.map_or(U256::zero(), |(_, sum)| *sum)
	}

	/// The gain of `asset` earned before the snapshots and not yet paid.
	pub fn unpaid(&self, asset: GainAsset) -> Balance {
		self.unpaid
			.iter()
			.find(|(gain, _)| *gain == asset)
			.map_or(0, |(_, amount)| *amount)
	}
}

/// Whether the engine may sell an asset's seized collateral on the AMM, and at what slippage
/// against the oracle at most: its own setting per collateral asset, apart from the AMM's cap for
/// traders.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(Serialize, Deserialize)]
pub enum AmmRoute {
	/// Never sold on the AMM: the backstop, then the auction (vaults) or the book (lending).
	Disabled,
	/// Sold when the AMM pays at least (1 − `max_slippage`) of the oracle value.
	Enabled {
		/// The most the AMM may pay below the oracle value, fees included.
		max_slippage: Permill,
	},
}

/// The highest slippage the engine's AMM route may be allowed: 10%.
pub const MAX_AMM_SLIPPAGE: Permill = Permill::from_percent(10);

impl AmmRoute {
	/// The slippage cap, or `None` when the route is disabled.
	pub fn max_slippage(&self) -> Option<Permill> {
		match self {
			Self::Disabled => None,
			Self::Enabled { max_slippage } => Some(*max_slippage),
		}
	}

	/// Whether the setting is allowed: an enabled route's cap above zero and at most
	/// [`MAX_AMM_SLIPPAGE`] (a zero cap is no route: disable it instead).
	pub fn is_valid(&self) -> bool {
		self.max_slippage().is_none_or(|cap| !cap.is_zero() && cap <= MAX_AMM_SLIPPAGE)
	}
}

/// How an auction's price falls from its top.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(Serialize, Deserialize)]
pub enum AuctionCurve {
	/// Falls in a straight line to zero over `duration` seconds.
	Linear {
		/// Seconds from the top to zero.
		duration: Seconds,
	},
	/// Keeps `cut` of the price every `step` seconds (Maker's stairstep exponential decrease).
	Stairstep {
		/// Seconds between cuts.
		step: Seconds,
		/// The share of the price kept at each cut.
		cut: Permill,
	},
}

impl AuctionCurve {
	/// The share of the top price left `elapsed` seconds after the start.
	pub fn factor(&self, elapsed: Seconds) -> FixedU128 {
		match *self {
			Self::Linear { duration } => {
				let left = duration.saturating_sub(elapsed);
				FixedU128::checked_from_rational(left, duration).unwrap_or_default()
			},
			Self::Stairstep { step, cut } => {
				let steps = elapsed.checked_div(step).unwrap_or(Seconds::MAX);
				FixedU128::from(cut).saturating_pow(usize::try_from(steps).unwrap_or(usize::MAX))
			},
		}
	}
}

/// How the auctions of one collateral type run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(Serialize, Deserialize)]
pub struct AuctionParams {
	/// The starting price as a multiple of the oracle price (at least one).
	pub buffer: FixedU128,
	/// How the price falls.
	pub curve: AuctionCurve,
	/// Seconds after which an auction starts again from the top.
	pub tail: Seconds,
	/// The share of the top below which an auction starts again from the top.
	pub cusp: Permill,
	/// The most debt (with penalty) in this type's auctions at once.
	pub max_debt: Balance,
}

/// The longest auction cycle a curve is searched for, in steps of its curve.
pub const MAX_CYCLE_STEPS: u32 = 10_000;

impl AuctionParams {
	/// Whether the parameters make a working auction: a buffer of at least one, a curve that
	/// falls, a tail, and a cusp that is reached before prices reach zero.
	pub fn is_valid(&self) -> bool {
		let curve_falls = match self.curve {
			AuctionCurve::Linear { duration } => duration > 0,
			AuctionCurve::Stairstep { step, cut } => step > 0 && cut < Permill::one(),
		};
		self.buffer >= FixedU128::from_u32(1)
			&& curve_falls
			&& self.tail > 0
			&& !self.cusp.is_zero()
			&& self.cycle().is_some()
	}

	/// Seconds after which an auction resets: the tail, or sooner the first moment the curve is
	/// below the cusp. `None` when the cusp is not reached within [`MAX_CYCLE_STEPS`] steps.
	pub fn cycle(&self) -> Option<Seconds> {
		let cusp = FixedU128::from(self.cusp);
		let below_cusp = match self.curve {
			AuctionCurve::Linear { duration } => {
				// The first whole second at which (duration − t) / duration < cusp.
				let keep = cusp.saturating_mul_int(duration);
				Some(duration.saturating_sub(keep).saturating_add(1))
			},
			AuctionCurve::Stairstep { step, cut } => {
				// The fewest steps that take the price below the cusp, by bisection.
				let below = |steps: u32| FixedU128::from(cut).saturating_pow(steps as usize) < cusp;
				if !below(MAX_CYCLE_STEPS) {
					return None;
				}
				let (mut above, mut under) = (0u32, MAX_CYCLE_STEPS);
				while under.saturating_sub(above) > 1 {
					let middle = above.saturating_add(under.saturating_sub(above) / 2);
					if below(middle) {
						under = middle;
					} else {
						above = middle;
					}
				}
				Some(Seconds::from(under).saturating_mul(step))
			},
		}?;
		Some(self.tail.min(below_cusp).max(1))
	}
}

/// The books of all running auctions.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct AuctionBook {
	/// How many auctions run.
	pub running: u32,
	/// The next auction's identifier.
	pub next_id: u32,
	/// Debt (with penalty) in all auctions, in lvUSD's smallest unit.
	pub total_debt: Balance,
}

impl AuctionBook {
	/// Counts a new auction of `tab`; returns its identifier. Fails with `Overflow` when the
	/// identifiers are spent.
	pub fn start(&mut self, tab: Balance) -> Result<u32, ArithmeticError> {
		let id = self.next_id;
		self.next_id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		self.running = self.running.saturating_add(1);
		self.total_debt = self.total_debt.saturating_add(tab);
		Ok(id)
	}
}

/// A Dutch auction of a liquidated vault's collateral for lvUSD.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Auction<AccountId> {
	/// The collateral type.
	pub asset: AssetId,
	/// The owner of the liquidated vault, who gets back what is left once the tab is paid.
	pub owner: AccountId,
	/// Collateral for sale.
	pub lot: Balance,
	/// lvUSD still to raise: the uncovered debt plus its penalty.
	pub tab: Balance,
	/// When the auction (or its current cycle) started, in seconds.
	pub started_at: Seconds,
}

/// The runtime's view of a backstop pool.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct BackstopPoolInfo {
	/// The pool's asset (the debt it repays).
	pub asset: AssetId,
	/// What it holds of that asset and shares in liquidations.
	pub deposits: Balance,
	/// What it holds of that asset in deposits still waiting to share in liquidations.
	pub waiting: Balance,
	/// Collateral it has received and not yet paid out: tokens in their smallest unit, supply
	/// in shares.
	pub gains: alloc::vec::Vec<(GainAsset, Balance)>,
}

/// The runtime's view of an auction.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct AuctionInfo<AccountId> {
	/// The auction's identifier for `take`.
	pub id: u32,
	/// The auction.
	pub auction: Auction<AccountId>,
	/// lvUSD per whole collateral token now, if the collateral's price is fresh.
	pub price: Option<FixedU128>,
	/// When the price next starts again from the top, in seconds.
	pub resets_at: Seconds,
}

/// The oracle price of each collateral at which an account's positions become liquidatable,
/// other prices unchanged (`None` where no fall of that price alone would do it).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct LiquidationPrices {
	/// Per vault, by collateral asset.
	pub vaults: alloc::vec::Vec<(AssetId, Option<FixedU128>)>,
	/// Per collateral asset of the lending position.
	pub lending: alloc::vec::Vec<(AssetId, Option<FixedU128>)>,
}

/// A depositor's position in a backstop pool, for the runtime API.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct DepositInfo {
	/// The pool's asset.
	pub pool: AssetId,
	/// The deposit now, after the losses it absorbed (its waiting part included).
	pub deposit: Balance,
	/// The part still waiting to share in liquidations, and the block from which it shares.
	pub waiting: Option<(u32, Balance)>,
	/// Collateral gains waiting to be paid: tokens in their smallest unit, supply in shares.
	pub gains: alloc::vec::Vec<(GainAsset, Balance)>,
}
