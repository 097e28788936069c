//! The difference of two means from the same replications: its confidence
//! interval from the paired differences, and the one an unpaired (Welch)
//! comparison of the two samples would give. With common random numbers
//! the paired interval is the narrower; their ratio is the gain.

use super::student_t::student_t_quantile;
use super::summary::MeanVar;

/// `alternative − base` over the replications where both are defined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// Pairs used: replications where both values are finite.
    pub pairs: usize,
    pub base_mean: f64,
    pub alternative_mean: f64,
    /// Mean of the paired differences (= the difference of the means).
    pub mean: f64,
    /// 95% CI half-width from the paired differences (Student's t, n − 1
    /// degrees of freedom); NaN below two pairs.
    pub paired_ci95: f64,
    /// 95% CI half-width treating the samples as independent (Welch's t,
    /// Welch–Satterthwaite degrees of freedom rounded down); NaN below two
    /// pairs.
    pub unpaired_ci95: f64,
}

impl Difference {
    /// The difference of `alternative` and `base`, replication by
    /// replication (`base[r]` pairs with `alternative[r]`).
    pub fn of(base: &[f64], alternative: &[f64]) -> Difference {
        let mut b = MeanVar::default();
        let mut a = MeanVar::default();
        let mut d = MeanVar::default();
        for (&x, &y) in base.iter().zip(alternative) {
            if x.is_finite() && y.is_finite() {
                b.add(x);
                a.add(y);
                d.add(y - x);
            }
        }
        let n = d.count();
        let empty = |value: f64| if n == 0 { f64::NAN } else { value };
        Difference {
            pairs: n as usize,
            base_mean: empty(b.mean()),
            alternative_mean: empty(a.mean()),
            mean: empty(d.mean()),
            paired_ci95: d.ci_half_width(0.95),
            unpaired_ci95: welch_half_width(&b, &a),
        }
    }

    /// The difference and its CIs in percent of the base mean; NaN when
    /// the base mean is zero.
    pub fn percent_of_base(&self) -> (f64, f64, f64) {
        let scale = if self.base_mean == 0.0 {
            f64::NAN
        } else {
            100.0 / self.base_mean.abs()
        };
        (
            self.mean * scale,
            self.paired_ci95 * scale,
            self.unpaired_ci95 * scale,
        )
    }
}

/// Welch's 95% half-width for the difference of two independent means.
fn welch_half_width(x: &MeanVar, y: &MeanVar) -> f64 {
    let (nx, ny) = (x.count() as f64, y.count() as f64);
    if x.count() < 2 || y.count() < 2 {
        return f64::NAN;
    }
    let (vx, vy) = (x.variance() / nx, y.variance() / ny);
    let se2 = vx + vy;
    if se2 == 0.0 {
        return 0.0;
    }
    let df = se2 * se2 / (vx * vx / (nx - 1.0) + vy * vy / (ny - 1.0));
    let df = (df.floor() as u64).max(1);
    student_t_quantile(0.975, df) * se2.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_against_itself_differs_by_zero_with_a_zero_width_ci() {
        let x = [3.0, 5.0, 4.0, 8.0];
        let d = Difference::of(&x, &x);
        assert_eq!((d.mean, d.paired_ci95), (0.0, 0.0));
        assert!(d.unpaired_ci95 > 0.0);
    }

    #[test]
    fn paired_and_welch_intervals_match_a_hand_computation() {
        let base = [10.0, 12.0, 14.0];
        let alternative = [11.0, 14.0, 15.0];
        let d = Difference::of(&base, &alternative);
        // Differences 1, 2, 1: mean 4/3, s² = 1/3; t(0.975, 2) = 4.302652730.
        assert!((d.mean - 4.0 / 3.0).abs() < 1e-12);
        let paired = 4.302_652_730 * (1.0f64 / 3.0 / 3.0).sqrt();
        assert!((d.paired_ci95 - paired).abs() < 1e-8, "{d:?}");
        // Variances 4 and 13/3, each over 3: se² = 25/9; Welch df =
        // (25/9)² / ((4/3)²/2 + (13/9)²/2) = 3.99, rounded down to 3;
        // t(0.975, 3) = 3.182446305.
        let unpaired = 3.182_446_305 * (25.0f64 / 9.0).sqrt();
        assert!((d.unpaired_ci95 - unpaired).abs() < 1e-8, "{d:?}");
        let (mean_pct, paired_pct, _) = d.percent_of_base();
        assert!((mean_pct - 100.0 * (4.0 / 3.0) / 12.0).abs() < 1e-9);
        assert!((paired_pct - 100.0 * paired / 12.0).abs() < 1e-9);
    }

    #[test]
    fn undefined_values_drop_their_pair() {
        let d = Difference::of(&[1.0, f64::NAN, 3.0], &[2.0, 5.0, 4.0]);
        assert_eq!((d.pairs, d.mean), (2, 1.0));
        let none = Difference::of(&[f64::NAN], &[1.0]);
        assert!(none.mean.is_nan() && none.base_mean.is_nan());
    }
}
