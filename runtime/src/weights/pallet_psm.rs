pub type WeightInfo<T> = pallet_psm::weights::SubstrateWeight<T>;
