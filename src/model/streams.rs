//! Seeded, portable random streams: one per (seed, replication, purpose,
//! owner).
//!
//! Every random draw in deepmud comes from a [`ChaCha8Rng`], whose output is
//! fixed by its specification (unlike `StdRng` or `SmallRng`, which may change
//! between crate versions). The stream for replication `r` of a run with seed
//! `s`, purpose `p` and owner `o` is derived as follows:
//!
//! - the 256-bit ChaCha key is `s` (8 bytes, little-endian), then `r`
//!   (8 bytes, little-endian), then the 16 ASCII bytes `deepmud-streams\0`;
//! - the ChaCha stream number (`set_stream`) is `o × 256 + p`, with `o` the
//!   owner's number ([`Owner::number`]) and `p` the purpose's
//!   ([`Purpose::number`]).
//!
//! Different keys or stream numbers give independent ChaCha keystreams, so
//! replications, purposes and owners never share random numbers. Each mining
//! system draws its failures, block grades and durations from streams of its
//! own, numbered by the order systems join the operation, and the site's
//! weather has one stream: adding a mining system changes neither the weather
//! a replication sees nor the draws of the systems already there, so sweep
//! points, tornado bars and comparisons use common random numbers. Nothing
//! depends on the thread that runs a replication.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::Open01;

/// What a random stream is used for; each has its own independent stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Wave heights and typhoons.
    Weather,
    /// Failure times and repair durations.
    Failures,
    /// Seabed block grades.
    Ore,
    /// Relocation, maintenance and crew-change durations; plant availability.
    Logistics,
    /// Repairs after typhoon retrievals that could not finish in time.
    TyphoonRepairs,
    /// The stochastic factor on oxide prices, year by year.
    Prices,
}

impl Purpose {
    /// Every purpose, in stream-number order.
    pub const ALL: [Purpose; 6] = [
        Purpose::Weather,
        Purpose::Failures,
        Purpose::Ore,
        Purpose::Logistics,
        Purpose::TyphoonRepairs,
        Purpose::Prices,
    ];

    /// The ChaCha stream number of this purpose. Fixed forever: changing it
    /// changes every result.
    pub fn number(self) -> u64 {
        match self {
            Purpose::Weather => 1,
            Purpose::Failures => 2,
            Purpose::Ore => 3,
            Purpose::Logistics => 4,
            Purpose::TyphoonRepairs => 5,
            Purpose::Prices => 6,
        }
    }
}

/// Who draws from a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The site as a whole: its weather.
    Site,
    /// The port's plant: its daily availability.
    Plant,
    /// Mining system `n`, counted from 0 in the order systems join the
    /// operation (at the start, then by phases).
    System(usize),
}

impl Owner {
    /// The owner's number in the stream number. Fixed forever: changing it
    /// changes every result.
    pub fn number(self) -> u64 {
        match self {
            Owner::Site => 0,
            Owner::Plant => 1,
            Owner::System(n) => 2 + n as u64,
        }
    }
}

const KEY_TAG: &[u8; 16] = b"deepmud-streams\0";

/// The random stream of `purpose` drawn by `owner` in replication
/// `replication` of seed `seed`.
pub fn stream(seed: u64, replication: u64, purpose: Purpose, owner: Owner) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&replication.to_le_bytes());
    key[16..].copy_from_slice(KEY_TAG);
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(owner.number() << 8 | purpose.number());
    rng
}

const FIGURE_TAG: &[u8; 16] = b"deepmud-figures\0";

/// The uniform in (0, 1) that replication `replication` of seed `seed`
/// draws the economic figure at dotted path `path` with: the ChaCha key is
/// `s`, `r` and the 16 bytes `deepmud-figures\0`, the stream number the
/// 64-bit FNV-1a hash of the path. A figure keeps its draw whatever else
/// the scenario or a sweep point changes, and a phase that changes the
/// figure's distribution draws it at the same quantile.
pub fn figure_uniform(seed: u64, replication: u64, path: &str) -> f64 {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&replication.to_le_bytes());
    key[16..].copy_from_slice(FIGURE_TAG);
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(fnv1a(path.as_bytes()));
    rng.sample(Open01)
}

/// The 64-bit FNV-1a hash: fixed by its definition, unlike `std`'s hashers.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

const DESIGN_TAG: &[u8; 24] = b"deepmud-design\0\0\0\0\0\0\0\0\0\0";

/// The stream an experiment's design (a Latin hypercube) draws from with
/// seed `seed`: apart from every replication's streams, so the points it
/// draws do not share random numbers with what they run.
pub fn design_stream(seed: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..].copy_from_slice(DESIGN_TAG);
    ChaCha8Rng::from_seed(key)
}

/// The streams one mining system draws from.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemStreams {
    /// Times between failures and repair durations.
    pub failures: ChaCha8Rng,
    /// Seabed block grades.
    pub ore: ChaCha8Rng,
    /// Relocation, maintenance and crew-change durations.
    pub logistics: ChaCha8Rng,
    /// Repairs owed for typhoon retrievals that could not finish in time:
    /// apart from the failures, so that a sweep of trip speed or typhoon
    /// margin leaves the failure draws as they were.
    pub typhoon_repairs: ChaCha8Rng,
}

impl SystemStreams {
    /// The streams of mining system `n` in replication `replication` of
    /// seed `seed`.
    pub fn new(seed: u64, replication: u64, n: usize) -> Self {
        let owner = Owner::System(n);
        SystemStreams {
            failures: stream(seed, replication, Purpose::Failures, owner),
            ore: stream(seed, replication, Purpose::Ore, owner),
            logistics: stream(seed, replication, Purpose::Logistics, owner),
            typhoon_repairs: stream(seed, replication, Purpose::TyphoonRepairs, owner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first_words(seed: u64, replication: u64, purpose: Purpose, owner: Owner) -> Vec<u64> {
        let mut rng = stream(seed, replication, purpose, owner);
        (0..4).map(|_| rng.next_u64()).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        assert_eq!(
            first_words(42, 3, Purpose::Ore, Owner::System(1)),
            first_words(42, 3, Purpose::Ore, Owner::System(1))
        );
    }

    #[test]
    fn replications_purposes_and_owners_get_different_streams() {
        let owners = [
            Owner::Site,
            Owner::Plant,
            Owner::System(0),
            Owner::System(7),
        ];
        let mut seen = Vec::new();
        for seed in [0, 1, 42] {
            for replication in [0, 1, 2] {
                for purpose in Purpose::ALL {
                    for owner in owners {
                        seen.push(first_words(seed, replication, purpose, owner));
                    }
                }
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len());
    }

    /// Golden values: a crate upgrade that changes the sampled numbers fails
    /// here instead of silently changing every published result.
    #[test]
    fn stream_values_are_pinned() {
        assert_eq!(
            first_words(2026, 0, Purpose::Weather, Owner::Site),
            vec![
                10_754_718_159_745_680_682,
                6_592_883_260_741_208_491,
                13_711_675_009_195_537_815,
                16_772_596_739_786_393_604,
            ]
        );
        assert_eq!(
            first_words(2026, 0, Purpose::Failures, Owner::System(1)),
            vec![
                115_444_895_380_113_732,
                11_324_373_879_770_206_728,
                769_805_033_341_805_962,
                17_550_415_920_210_884_059,
            ]
        );
    }
}
