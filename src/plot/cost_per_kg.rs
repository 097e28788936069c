//! `cost_per_kg`: each year's cost per kg of REO against the market price
//! of the basket, on a log scale (the two can be orders of magnitude
//! apart), each as its median with its P10–P90 band, with phase starts.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{ValueAxis, YearAxis, format_number};
use super::band::{Band, SinglePanel, draw_single_panel};
use super::data::{EconomicsData, Quantiles, YearQuantiles};
use super::legend::{Entry, Swatch, draw_legend_on_top};
use super::theme::{Theme, draw_message, palette, titled};

/// The cost's colours: the median and range of every band chart.
const COST: (RGBColor, RGBColor) = (palette::MEDIAN, palette::RANGE);
/// The price's colours.
const PRICE: (RGBColor, RGBColor) = (palette::VERMILLION, palette::ORANGE);

pub(crate) fn draw_cost_per_kg<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &EconomicsData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Cost per kg REO against the market price")?;
    let cost = log10_series(&data.cost_per_kg);
    let price = log10_series(&data.price_per_kg);
    // Decided from the cost alone: the price is always positive.
    if positive_extent(data.cost_per_kg.iter()).is_none() {
        let message = if dropped_years(&data.cost_per_kg).is_empty() {
            "No cost per kg in this run (no REO produced)"
        } else {
            "No positive cost per kg in this run to draw on a log scale"
        };
        return draw_message(&body, &theme, message);
    }
    let Some((lo, hi)) = positive_extent(data.cost_per_kg.iter().chain(&data.price_per_kg))
        .map(|(lo, hi)| padded_decades(lo, hi))
    else {
        return draw_message(&body, &theme, "No cost per kg in this run");
    };
    let price_varies = data.price_per_kg.iter().any(|p| spread(p.q));
    let dropped = dropped_years(&data.cost_per_kg);

    let mut entries = vec![
        Entry::new("Cost per kg, median", Swatch::Line(COST.0)),
        Entry::new("Cost per kg, P10–P90", Swatch::Range(COST.1)),
        Entry::new("Market price, median", Swatch::Line(PRICE.0)),
    ];
    if price_varies {
        entries.push(Entry::new("Market price, P10–P90", Swatch::Range(PRICE.1)));
    }
    if !dropped.is_empty() {
        entries.push(Entry::new(
            dropped_note(&dropped, data.calendar, data.capex_cash),
            Swatch::Note,
        ));
    }
    let body = draw_legend_on_top(&body, &theme, entries, !data.phases.is_empty())?;

    let bands = [
        Band {
            series: &cost,
            median: COST.0,
            range: Some(COST.1),
        },
        Band {
            series: &price,
            median: PRICE.0,
            range: price_varies.then_some(PRICE.1),
        },
    ];
    draw_single_panel(
        &body,
        &theme,
        &SinglePanel {
            bands: &bands,
            phases: &data.phases,
            calendar: data.calendar,
            y_title: "USD per kg REO (log scale)",
            steps: false,
        },
        |labels| ValueAxis::decades(lo, hi, labels),
        |_, _| Ok(()),
    )
}

/// The years (as the series places them) with a cost per kg at or below
/// zero in any of its quantiles, which a log scale cannot show: under
/// `capex_method = "cash"` the book value credited at the horizon can
/// make the last year's cost negative.
pub(crate) fn dropped_years(series: &[YearQuantiles]) -> Vec<f64> {
    series
        .iter()
        .filter(|p| {
            [p.q.p10, p.q.p50, p.q.p90]
                .iter()
                .any(|v| v.is_finite() && *v <= 0.0)
        })
        .map(|p| p.year)
        .collect()
}

/// The legend's note on `years` (not empty) left off the log scale.
pub(crate) fn dropped_note(years: &[f64], calendar: bool, capex_cash: bool) -> String {
    let named: Vec<String> = years
        .iter()
        .map(|&year| {
            let whole = year.ceil();
            if calendar {
                YearAxis::format_calendar(whole)
            } else {
                format!("year {}", format_number(whole, 0))
            }
        })
        .collect();
    // Short enough for one legend row: a few years by name, more counted.
    let years = if named.len() <= 3 {
        named.join(", ")
    } else {
        format!("{} years", named.len())
    };
    let why = if capex_cash {
        " (book value credited)"
    } else {
        ""
    };
    format!("{years}: cost ≤ 0{why}, not drawn")
}

/// The log extent from `lo` to `hi` (positive): when both fall within one
/// power of ten exactly (the decades' floor and ceiling meet), a decade
/// more either side, so the axis has a range and labels.
pub(crate) fn padded_decades(lo: f64, hi: f64) -> (f64, f64) {
    if lo.log10().floor() == hi.log10().ceil() {
        (lo / 10.0, hi * 10.0)
    } else {
        (lo, hi)
    }
}

/// The series with each quantile replaced by its log10; values that are
/// not positive have none and become `NaN`.
fn log10_series(series: &[YearQuantiles]) -> Vec<YearQuantiles> {
    let log = |v: f64| if v > 0.0 { v.log10() } else { f64::NAN };
    series
        .iter()
        .map(|p| YearQuantiles {
            year: p.year,
            q: Quantiles {
                p10: log(p.q.p10),
                p50: log(p.q.p50),
                p90: log(p.q.p90),
            },
        })
        .collect()
}

/// The least and greatest positive finite quantile of the points.
fn positive_extent<'a>(points: impl Iterator<Item = &'a YearQuantiles>) -> Option<(f64, f64)> {
    points
        .flat_map(|p| [p.q.p10, p.q.p50, p.q.p90])
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(None, |extent, v| match extent {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Whether P10 and P90 differ (a price that varies across replications).
fn spread(q: Quantiles) -> bool {
    q.p10.is_finite() && q.p90.is_finite() && q.p90 - q.p10 > 1e-9 * q.p90.abs()
}
