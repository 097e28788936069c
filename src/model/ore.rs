//! Ore grade: the seabed as a sequence of blocks whose grades are correlated
//! from block to block, diluted by cover mud, carried in parcels whose grade
//! is mass-weighted, and converted from wet mud to dry mud to oxide.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::scenario;
use crate::stats::normal::normal_cdf;

/// A quantity of mud with its water and its mass-weighted grade.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Parcel {
    /// Wet tonnes.
    pub wet_t: f64,
    /// Dry tonnes (solids) in it.
    pub dry_t: f64,
    /// Σ dry t × REY ppm, so grade = `rey_ppm_t / dry_t`.
    pub rey_ppm_t: f64,
}

impl Parcel {
    /// Adds another parcel, mixing grades by dry mass.
    pub fn absorb(&mut self, other: Parcel) {
        self.wet_t += other.wet_t;
        self.dry_t += other.dry_t;
        self.rey_ppm_t += other.rey_ppm_t;
    }

    /// Removes `wet_t` wet tonnes (at most all of it), an even share of its
    /// solids and grade.
    pub fn take(&mut self, wet_t: f64) -> Parcel {
        let wet_t = wet_t.min(self.wet_t);
        let share = if self.wet_t > 0.0 {
            wet_t / self.wet_t
        } else {
            0.0
        };
        let part = Parcel {
            wet_t,
            dry_t: self.dry_t * share,
            rey_ppm_t: self.rey_ppm_t * share,
        };
        self.wet_t -= part.wet_t;
        self.dry_t -= part.dry_t;
        self.rey_ppm_t -= part.rey_ppm_t;
        part
    }

    /// Removes enough of the parcel to hold `dry_t` dry tonnes (at most all).
    pub fn take_dry(&mut self, dry_t: f64) -> Parcel {
        if self.dry_t <= 0.0 {
            return self.take(self.wet_t);
        }
        self.take(self.wet_t * (dry_t / self.dry_t).min(1.0))
    }

    /// Takes water out until the parcel is `solids_fraction` dry by mass
    /// (never adds water); returns the wet tonnes removed.
    pub fn dewater(&mut self, solids_fraction: f64) -> f64 {
        let removed_t = (self.wet_t - self.dry_t / solids_fraction).max(0.0);
        self.wet_t -= removed_t;
        removed_t
    }

    /// Mass-weighted total REY grade, ppm of dry mass (0 when empty).
    pub fn grade_ppm(&self) -> f64 {
        if self.dry_t > 0.0 {
            self.rey_ppm_t / self.dry_t
        } else {
            0.0
        }
    }
}

/// Conversions from mud to oxide.
#[derive(Clone, Copy, Debug)]
pub struct Assay {
    oxide_factor: f64,
    heavy_share: f64,
}

impl Assay {
    /// The conversions of a scenario's ore section.
    pub fn new(ore: &scenario::Ore) -> Self {
        Assay {
            oxide_factor: ore.oxide_factor,
            heavy_share: ore.heavy_share,
        }
    }

    /// Rare-earth oxide tonnes contained in a parcel:
    /// dry t × ppm × 10⁻⁶ × oxide factor.
    pub fn reo_t(&self, parcel: &Parcel) -> f64 {
        parcel.rey_ppm_t * 1e-6 * self.oxide_factor
    }

    /// The heavy-REE share of REO.
    pub fn heavy_share(&self) -> f64 {
        self.heavy_share
    }
}

/// The seabed worked by one mining system: blocks of fixed wet tonnage whose
/// grades follow a Gaussian-copula AR(1): z_k = ρ z_{k−1} + √(1 − ρ²) ε_k,
/// block grade = F⁻¹(Φ(z_k)) with F the configured grade distribution. A
/// truncated F maps Φ(z_k) onto its kept range ([`scenario::Dist::quantile`]),
/// so every block's grade lies in `[min, max]` and the marginal is exactly
/// the truncated distribution, correlation and all.
pub struct Seabed {
    block_t: f64,
    rho: f64,
    innovation_sd: f64,
    grade: scenario::Dist,
    dilution_fraction: f64,
    dilution_rey_ppm: f64,
    solids_mass_fraction: f64,
    anomaly: f64,
    /// Grade of what is lifted from the current block, after dilution.
    lifted_ppm: f64,
    left_in_block_t: f64,
}

impl Seabed {
    /// A fresh seabed; its first block is drawn from the stationary marginal.
    pub fn new(ore: &scenario::Ore, rng: &mut ChaCha8Rng) -> Self {
        let rho = ore.block_autocorrelation;
        let mut seabed = Seabed {
            block_t: ore.block_t,
            rho,
            innovation_sd: (1.0 - rho * rho).sqrt(),
            grade: ore.rey_ppm.clone(),
            dilution_fraction: ore.dilution_fraction,
            dilution_rey_ppm: ore.dilution_rey_ppm,
            solids_mass_fraction: ore.solids_mass_fraction,
            anomaly: rng.sample(StandardNormal),
            lifted_ppm: 0.0,
            left_in_block_t: 0.0,
        };
        seabed.start_block();
        seabed
    }

    fn start_block(&mut self) {
        // Clamp Φ(z) into the open interval so quantiles stay finite.
        let u = normal_cdf(self.anomaly).clamp(1e-15, 1.0 - 1e-15);
        let block_ppm = self.grade.quantile(u);
        self.lifted_ppm = (1.0 - self.dilution_fraction) * block_ppm
            + self.dilution_fraction * self.dilution_rey_ppm;
        self.left_in_block_t = self.block_t;
    }

    /// Lifts `wet_t` tonnes, moving on through blocks as they are exhausted.
    pub fn lift(&mut self, wet_t: f64, rng: &mut ChaCha8Rng) -> Parcel {
        let mut parcel = Parcel::default();
        let mut wanted = wet_t;
        while wanted > 0.0 {
            if self.left_in_block_t <= 0.0 {
                let innovation: f64 = rng.sample(StandardNormal);
                self.anomaly = self.rho * self.anomaly + self.innovation_sd * innovation;
                self.start_block();
            }
            let from_block = wanted.min(self.left_in_block_t);
            let dry_t = from_block * self.solids_mass_fraction;
            parcel.wet_t += from_block;
            parcel.dry_t += dry_t;
            parcel.rey_ppm_t += dry_t * self.lifted_ppm;
            self.left_in_block_t -= from_block;
            wanted -= from_block;
        }
        parcel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taking_from_a_parcel_keeps_its_grade() {
        let mut parcel = Parcel {
            wet_t: 100.0,
            dry_t: 40.0,
            rey_ppm_t: 40.0 * 2_000.0,
        };
        let part = parcel.take(40.0);
        assert_eq!(part.wet_t, 40.0);
        assert!((part.dry_t - 16.0).abs() < 1e-12);
        assert!((part.grade_ppm() - 2_000.0).abs() < 1e-9);
        assert!((parcel.grade_ppm() - 2_000.0).abs() < 1e-9);
        assert_eq!(parcel.take(1_000.0).wet_t, 60.0);
        assert_eq!(parcel.wet_t, 0.0);
    }

    #[test]
    fn mixing_parcels_weights_grade_by_mass() {
        let mut a = Parcel {
            wet_t: 75.0,
            dry_t: 30.0,
            rey_ppm_t: 30.0 * 1_000.0,
        };
        a.absorb(Parcel {
            wet_t: 25.0,
            dry_t: 10.0,
            rey_ppm_t: 10.0 * 5_000.0,
        });
        assert!((a.grade_ppm() - 2_000.0).abs() < 1e-9);
    }

    /// Every block of a seabed truncated at 8,000 ppm has a grade in
    /// [0, 8,000], so lifted mud is at most (1 − d) · 8,000 + d · 300 ppm.
    #[test]
    fn a_truncated_grade_bounds_every_block_and_every_parcel() {
        use rand::SeedableRng;
        let ore = scenario::Ore {
            rey_ppm: scenario::Dist::lognormal_median_p90(1000.0, 3000.0)
                .truncated(None, Some(8000.0)),
            block_t: 100.0,
            ..scenario::Ore::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut seabed = Seabed::new(&ore, &mut rng);
        let ceiling = 0.9 * 8000.0 + 0.1 * 300.0;
        let mut highest: f64 = 0.0;
        for _ in 0..100_000 {
            let parcel = seabed.lift(100.0, &mut rng);
            highest = highest.max(parcel.grade_ppm());
        }
        assert!(highest <= ceiling + 1e-9, "{highest}");
        // P(X > 8,000) = 0.76% untruncated: the top blocks sit near the cap.
        assert!(highest > 0.99 * ceiling, "{highest}");
    }

    #[test]
    fn dewatering_removes_water_and_keeps_solids_and_grade() {
        let mut parcel = Parcel {
            wet_t: 100.0,
            dry_t: 40.0,
            rey_ppm_t: 40.0 * 1_500.0,
        };
        let removed = parcel.dewater(0.8);
        assert!((parcel.wet_t - 50.0).abs() < 1e-12);
        assert!((removed - 50.0).abs() < 1e-12);
        assert_eq!(parcel.dry_t, 40.0);
        assert!((parcel.grade_ppm() - 1_500.0).abs() < 1e-9);
        assert_eq!(parcel.dewater(0.1), 0.0, "dewatering never adds water");
    }
}
