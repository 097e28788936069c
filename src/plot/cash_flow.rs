//! `cash_flow`: cumulative cash flow to the end of each year, median with
//! its P10–P90 band, a zero line, and the break-even year marked (or the
//! legend saying there is none within the horizon).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{ValueAxis, YearAxis, usd_unit};
use super::band::{Band, SinglePanel, draw_single_panel};
use super::data::{Breakeven, EconomicsData, YearQuantiles};
use super::legend::{self, Entry, Swatch, draw_legend_on_top};
use super::theme::{Theme, draw_message, palette, titled};

/// The break-even line's colour.
const BREAKEVEN: RGBColor = palette::VERMILLION;

pub(crate) fn draw_cash_flow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &EconomicsData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Cumulative cash flow")?;
    let values = data
        .cumulative_cash_usd
        .iter()
        .flat_map(|p| [p.q.p10, p.q.p50, p.q.p90])
        .filter(|v| v.is_finite());
    let Some((lo, hi)) = values.fold(None, |extent: Option<(f64, f64)>, v| match extent {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    }) else {
        return draw_message(&body, &theme, "No cash flow in this run");
    };

    // The break-even year is a calendar year, so it is marked only on a
    // calendar axis.
    let marker = match data.breakeven {
        Some(Breakeven {
            p50_year: Some(year),
            share,
        }) if share > 0.0 && data.calendar => Some((year, share)),
        _ => None,
    };
    let mut entries = legend::range_and_median("replications");
    entries.push(match (marker, data.breakeven) {
        (Some((year, share)), _) => {
            Entry::new(breakeven_label(year, share), Swatch::DashedLine(BREAKEVEN))
        }
        (None, Some(_)) => Entry::new(
            "Zero: no break-even within the horizon",
            Swatch::ThinLine(palette::BLACK),
        ),
        (None, None) => Entry::new("Zero", Swatch::ThinLine(palette::BLACK)),
    });
    let body = draw_legend_on_top(&body, &theme, entries, !data.phases.is_empty())?;

    let (divisor, unit) = usd_unit(lo.abs().max(hi.abs()));
    let series: Vec<YearQuantiles> = data
        .cumulative_cash_usd
        .iter()
        .map(|p| YearQuantiles {
            year: p.year,
            q: p.q.scaled(1.0 / divisor),
        })
        .collect();
    let y_title = format!("Cumulative ({unit})");
    let (lo, hi) = (lo.min(0.0) / divisor, hi.max(0.0) / divisor);
    draw_single_panel(
        &body,
        &theme,
        &SinglePanel {
            bands: &[Band::standard(&series)],
            phases: &data.phases,
            calendar: data.calendar,
            y_title: &y_title,
            steps: false,
        },
        |labels| ValueAxis::covering(lo, hi, labels, false),
        |chart, y| {
            let (x_lo, x_hi) = (chart.x_range().start, chart.x_range().end);
            let zero = palette::BLACK.stroke_width(theme.axis_width());
            chart
                .draw_series(LineSeries::new([(x_lo, 0.0), (x_hi, 0.0)], zero))
                .drawn()?;
            if let Some((x, _)) = marker.filter(|(x, _)| (x_lo..=x_hi).contains(x)) {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x, y.lo), (x, y.hi)],
                        theme.px(14.0),
                        theme.px(9.0),
                        BREAKEVEN.stroke_width(theme.line_width()),
                    ))
                    .drawn()?;
            }
            Ok(())
        },
    )
}

/// The break-even line's legend entry: the median calendar `year` of the
/// replications that break even, `share` of them. Under half, the median
/// curve need not reach zero, so the label says whose median it is.
pub(super) fn breakeven_label(year: f64, share: f64) -> String {
    let year = YearAxis::format_calendar(year);
    let percent = 100.0 * share;
    if share < 0.5 {
        format!("Median break-even year of the {percent:.0}% that break even: {year}")
    } else {
        format!("Break-even, median: {year} ({percent:.0}% of replications break even)")
    }
}
