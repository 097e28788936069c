//! How US dollar amounts read in the KPI table and the report: to three
//! significant figures, in millions or billions once they are that large.
//! Each figure is rounded before its unit and decimals are chosen, so a
//! value just under a boundary reads as the rounded figure does
//! (999.6e6 → "1.00 bn", not "1,000 M").

use crate::plot::format_number;

/// Decimals that give three significant figures to a magnitude.
fn decimals_for(magnitude: f64) -> usize {
    match magnitude {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    }
}

/// `x` rounded to `decimals`, as `format!` rounds it.
fn rounded(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// `x` (finite) rounded to three significant figures (all its whole digits
/// from 100 up): the rounded value and its decimals. The decimals are
/// those of the rounded value, so 99.96 gives (100, 0), not (100.0, 1).
fn three_figures(x: f64) -> (f64, usize) {
    let decimals = decimals_for(x.abs());
    let value = rounded(x, decimals);
    let settled = decimals_for(value.abs());
    if settled == decimals {
        (value, decimals)
    } else {
        (rounded(x, settled), settled)
    }
}

/// `x` to three significant figures, or all its whole digits, with
/// thousands separators: 99.96 → "100", 9.996 → "10.0", 1234.6 → "1,235".
pub fn significant(x: f64) -> String {
    let (value, decimals) = three_figures(x);
    format_number(value, decimals)
}

/// `usd` (finite) readably: -6,021,773,582 → "-6.02 bn", 196,511,687 →
/// "197 M", 5,365,441 → "5.37 M", 559,873 → "559,873", 12.5 → "12.5".
pub fn usd(usd: f64) -> String {
    const UNITS: [(f64, &str); 3] = [(1.0, ""), (1e6, " M"), (1e9, " bn")];
    let magnitude = usd.abs();
    // The largest unit the value reaches, then a larger one while the
    // rounded figure reaches the next unit (999,999.6 → 1,000,000 → M).
    let mut unit = UNITS
        .iter()
        .rposition(|&(divisor, _)| magnitude >= divisor && divisor > 1.0)
        .unwrap_or(0);
    loop {
        let (divisor, suffix) = UNITS[unit];
        let (value, decimals) = three_figures(usd / divisor);
        let next = UNITS.get(unit + 1);
        match next {
            Some(&(next_divisor, _)) if value.abs() * divisor >= next_divisor => unit += 1,
            _ => return format!("{}{suffix}", format_number(value, decimals)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{significant, usd};

    #[test]
    fn dollars_read_in_millions_or_billions_to_three_significant_figures() {
        assert_eq!(usd(-2_377_960_451.0), "-2.38 bn");
        assert_eq!(usd(-30_165_130_583.0), "-30.2 bn");
        assert_eq!(usd(196_511_687.0), "197 M");
        assert_eq!(usd(5_365_441.5), "5.37 M");
        assert_eq!(usd(559_873.0), "559,873");
        assert_eq!(usd(12.5), "12.5");
        assert_eq!(usd(0.0), "0.00");
    }

    #[test]
    fn a_figure_rounding_up_to_a_unit_boundary_reads_in_the_larger_unit() {
        assert_eq!(usd(999.6e6), "1.00 bn");
        assert_eq!(usd(-999.6e6), "-1.00 bn");
        assert_eq!(usd(999.4e6), "999 M");
        assert_eq!(usd(999_999.6), "1.00 M");
        assert_eq!(usd(-999_999.6), "-1.00 M");
        assert_eq!(usd(999_999.4), "999,999");
        assert_eq!(usd(9.996e6), "10.0 M");
        assert_eq!(usd(99.96e6), "100 M");
        assert_eq!(usd(9.996e9), "10.0 bn");
        assert_eq!(usd(999.6e9), "1,000 bn");
        assert_eq!(usd(99.996), "100");
        assert_eq!(usd(9.996), "10.0");
    }

    #[test]
    fn significant_figures_are_counted_after_rounding() {
        assert_eq!(significant(99.96), "100");
        assert_eq!(significant(-99.96), "-100");
        assert_eq!(significant(99.94), "99.9");
        assert_eq!(significant(9.996), "10.0");
        assert_eq!(significant(9.994), "9.99");
        assert_eq!(significant(1234.6), "1,235");
        assert_eq!(significant(0.0), "0.00");
    }
}
