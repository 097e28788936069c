//! Summaries of a sample: streaming mean and variance, confidence intervals
//! of the mean, percentiles, and batch means for one long correlated run.

use super::student_t::student_t_quantile;

/// Streaming count, mean and variance (Welford's algorithm): numerically
/// stable, constant memory.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeanVar {
    count: u64,
    mean: f64,
    sum_sq_dev: f64,
}

impl MeanVar {
    /// Adds one observation.
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.sum_sq_dev += delta * (x - self.mean);
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The sample mean (0 when empty).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample variance with n − 1 in the denominator (0 below two observations).
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            self.sum_sq_dev / (self.count - 1) as f64
        }
    }

    /// The half-width of the two-sided `confidence` interval of the mean
    /// (Student's t with n − 1 degrees of freedom); NaN below two observations.
    pub fn ci_half_width(&self, confidence: f64) -> f64 {
        if self.count < 2 {
            return f64::NAN;
        }
        let t = student_t_quantile(0.5 + confidence / 2.0, self.count - 1);
        t * (self.variance() / self.count as f64).sqrt()
    }
}

impl FromIterator<f64> for MeanVar {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut acc = MeanVar::default();
        for x in iter {
            acc.add(x);
        }
        acc
    }
}

/// The `p` quantile (p in [0, 1]) of an ascending sorted sample by linear
/// interpolation between order statistics (Hyndman & Fan type 7, the default
/// of R and NumPy); NaN for an empty sample.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted {
        [] => f64::NAN,
        [only] => *only,
        _ => {
            let position = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
            let lower = position.floor() as usize;
            let upper = (lower + 1).min(sorted.len() - 1);
            let fraction = position - lower as f64;
            sorted[lower] + fraction * (sorted[upper] - sorted[lower])
        }
    }
}

/// The method of batch means: splits a long, autocorrelated series of
/// observations into `batches` equal consecutive batches (dropping the
/// remainder at the end) and summarises the batch means, which are nearly
/// independent when batches are much longer than the correlation time.
pub fn batch_means(observations: &[f64], batches: usize) -> MeanVar {
    if batches == 0 {
        return MeanVar::default();
    }
    let size = observations.len() / batches;
    if size == 0 {
        return MeanVar::default();
    }
    observations
        .chunks_exact(size)
        .take(batches)
        .map(|batch| batch.iter().sum::<f64>() / size as f64)
        .collect()
}

/// The summary of one quantity across replications: mean, half-width of
/// the 95% confidence interval of the mean (Student's t), and percentiles.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub ci95_half_width: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Summary {
    /// Summarises the finite `values` (one per replication); undefined
    /// (NaN) values are left out and not counted in `n`. With one value the
    /// half-width is NaN: a single replication gives no interval; with none,
    /// everything is NaN.
    pub fn of(values: &[f64]) -> Summary {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let acc: MeanVar = sorted.iter().copied().collect();
        Summary {
            n: sorted.len(),
            mean: if sorted.is_empty() {
                f64::NAN
            } else {
                acc.mean()
            },
            ci95_half_width: acc.ci_half_width(0.95),
            p10: percentile_sorted(&sorted, 0.10),
            p50: percentile_sorted(&sorted, 0.50),
            p90: percentile_sorted(&sorted, 0.90),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_variance_match_the_textbook_formulas() {
        let data = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let acc: MeanVar = data.iter().copied().collect();
        assert_eq!(acc.count(), 8);
        assert!((acc.mean() - 5.0).abs() < 1e-15);
        assert!((acc.variance() - 32.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn ci_half_width_uses_student_t() {
        let acc: MeanVar = [1.0, 2.0, 3.0].into_iter().collect();
        // t(0.975, 2) = 4.302652730, s = 1, n = 3.
        let expected = 4.302_652_730 / 3f64.sqrt();
        assert!((acc.ci_half_width(0.95) - expected).abs() < 1e-8);
        assert!(MeanVar::default().ci_half_width(0.95).is_nan());
    }

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile_sorted(&sorted, 0.0), 1.0);
        assert_eq!(percentile_sorted(&sorted, 0.5), 3.0);
        assert_eq!(percentile_sorted(&sorted, 1.0), 5.0);
        assert!((percentile_sorted(&sorted, 0.1) - 1.4).abs() < 1e-12);
        assert!(percentile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn summary_orders_percentiles() {
        let summary = Summary::of(&[5.0, 1.0, 4.0, 2.0, 3.0]);
        assert_eq!(summary.n, 5);
        assert_eq!(summary.mean, 3.0);
        assert!(summary.p10 <= summary.p50 && summary.p50 <= summary.p90);
        assert_eq!(summary.p50, 3.0);
    }

    #[test]
    fn summary_leaves_out_undefined_values() {
        let summary = Summary::of(&[1.0, f64::NAN, 3.0]);
        assert_eq!(summary.n, 2);
        assert_eq!(summary.mean, 2.0);
        let empty = Summary::of(&[f64::NAN]);
        assert_eq!(empty.n, 0);
        assert!(empty.mean.is_nan() && empty.p50.is_nan());
    }

    #[test]
    fn batch_means_average_consecutive_batches() {
        let data = [1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 100.0];
        let acc = batch_means(&data, 3);
        assert_eq!(acc.count(), 3);
        assert!((acc.mean() - 6.0).abs() < 1e-12);
    }
}
