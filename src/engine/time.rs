//! Simulated time: hours since the scenario's start, never NaN, never negative.

use std::cmp::Ordering;
use std::fmt;

/// Hours in a simulated year (365 days; leap days are not modelled).
pub const HOURS_PER_YEAR: f64 = 8_760.0;

/// A point in simulated time, in hours since the start of the run.
///
/// The constructor rejects NaN, infinities and negative values, so every
/// `SimTime` is a finite non-negative number and the total order below is the
/// ordinary numeric order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimTime(f64);

/// A time or duration that cannot be represented: NaN, infinite or negative.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    #[error("simulated time must be a finite number of hours, got {0}")]
    NotFinite(f64),
    #[error("simulated time cannot be negative, got {0} h")]
    Negative(f64),
    #[error("a delay must be a finite, non-negative number of hours, got {0}")]
    BadDelay(f64),
}

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0.0);

    /// A time `hours` after the start; errors on NaN, infinite or negative input.
    pub fn from_hours(hours: f64) -> Result<SimTime, TimeError> {
        if !hours.is_finite() {
            Err(TimeError::NotFinite(hours))
        } else if hours < 0.0 {
            Err(TimeError::Negative(hours))
        } else {
            // `+ 0.0` turns -0.0 into +0.0, so the bit pattern orders like the value.
            Ok(SimTime(hours + 0.0))
        }
    }

    /// The time in hours since the start.
    pub fn hours(self) -> f64 {
        self.0
    }

    /// This time plus a delay in hours; errors if the delay is NaN, infinite or negative.
    pub fn after(self, delay_h: f64) -> Result<SimTime, TimeError> {
        if !(delay_h.is_finite() && delay_h >= 0.0) {
            return Err(TimeError::BadDelay(delay_h));
        }
        SimTime::from_hours(self.0 + delay_h)
    }

    /// Zero-based simulated year this time falls in.
    pub fn year_index(self) -> usize {
        (self.0 / HOURS_PER_YEAR) as usize
    }

    /// A key whose unsigned integer order equals the time order: for finite
    /// non-negative floats the IEEE-754 bit pattern is monotonic.
    pub(crate) fn order_key(self) -> u64 {
        self.0.to_bits()
    }

    /// The inverse of [`SimTime::order_key`], for keys it produced.
    pub(crate) fn from_order_key(key: u64) -> SimTime {
        SimTime(f64::from_bits(key))
    }
}

impl Eq for SimTime {}

impl PartialOrd for SimTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SimTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} h", self.0)
    }
}

impl TryFrom<f64> for SimTime {
    type Error = TimeError;
    fn try_from(hours: f64) -> Result<Self, Self::Error> {
        SimTime::from_hours(hours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_infinite_and_negative_times_are_errors() {
        assert!(matches!(
            SimTime::from_hours(f64::NAN),
            Err(TimeError::NotFinite(_))
        ));
        assert!(matches!(
            SimTime::from_hours(f64::INFINITY),
            Err(TimeError::NotFinite(_))
        ));
        assert_eq!(SimTime::from_hours(-1.0), Err(TimeError::Negative(-1.0)));
        assert_eq!(SimTime::ZERO.after(-0.5), Err(TimeError::BadDelay(-0.5)));
        assert!(SimTime::ZERO.after(f64::NAN).is_err());
    }

    #[test]
    fn negative_zero_orders_as_zero() {
        let z = SimTime::from_hours(-0.0).expect("-0.0 is zero");
        assert_eq!(z.cmp(&SimTime::ZERO), Ordering::Equal);
    }

    #[test]
    fn order_is_numeric_order() {
        let values = [0.0, 1e-300, 0.5, 1.0, 2.0, 8_760.0, 1e12];
        for pair in values.windows(2) {
            let a = SimTime::from_hours(pair[0]).unwrap();
            let b = SimTime::from_hours(pair[1]).unwrap();
            assert!(a < b, "{a} < {b}");
        }
    }

    #[test]
    fn year_index_counts_365_day_years() {
        assert_eq!(SimTime::from_hours(8_759.9).unwrap().year_index(), 0);
        assert_eq!(SimTime::from_hours(8_760.0).unwrap().year_index(), 1);
    }
}
