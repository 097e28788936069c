//! How US dollar amounts read in the KPI table and the report: to three
//! significant figures, in millions or billions once they are that large.

use crate::plot::format_number;

/// `usd` (finite) readably: -6,021,773,582 → "-6.02 bn", 196,511,687 →
/// "197 M", 5,365,441 → "5.37 M", 559,873 → "559,873", 12.5 → "12.5".
pub fn usd(usd: f64) -> String {
    let magnitude = usd.abs();
    let (value, suffix) = if magnitude >= 1e9 {
        (usd / 1e9, " bn")
    } else if magnitude >= 1e6 {
        (usd / 1e6, " M")
    } else {
        (usd, "")
    };
    let decimals = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    format!("{}{suffix}", format_number(value, decimals))
}

#[cfg(test)]
mod tests {
    use super::usd;

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
}
