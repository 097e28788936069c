//! `weather_months`: the share of each calendar month lost to weather for
//! each operation (waves at or above its limit, or a typhoon alert): side
//! by side per month, a P10–P90 bar with the median marked, across
//! replications and years.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, draw_mesh, x_label_area_height, y_label_area_width, y_labels_for_height,
};
use super::band::Margins;
use super::data::{MonthQuantiles, WorkMonths};
use super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::theme::{Theme, draw_message, humanise, palette, text_width, titled};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The width a month's bars take together, in months.
const GROUP_WIDTH: f64 = 0.8;

/// An operation's label and colour: those of its state in the time budget
/// where it has one.
fn look(work: &str, index: usize) -> (String, RGBColor) {
    match work {
        "trip" => ("Tripping".into(), palette::ORANGE),
        "lift" => ("Lifting".into(), palette::BLUISH_GREEN),
        "transfer" => ("Ship-to-ship transfer".into(), palette::BLUE),
        other => (
            humanise(other),
            palette::ALL[(index + 3) % palette::ALL.len()],
        ),
    }
}

pub(crate) fn draw_weather_months<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    works: &[WorkMonths],
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Weather downtime by calendar month")?;
    let percent: Vec<Vec<MonthQuantiles>> = works
        .iter()
        .map(|work| {
            work.months
                .iter()
                .filter(|m| m.q.finite_max().is_some())
                .map(|m| MonthQuantiles {
                    month: m.month,
                    q: m.q.scaled(100.0),
                })
                .collect()
        })
        .collect();
    if percent.iter().all(Vec::is_empty) {
        return draw_message(&body, &theme, "No weather data in this run");
    }

    let looks: Vec<(String, RGBColor)> = works
        .iter()
        .enumerate()
        .map(|(index, work)| look(&work.work, index))
        .collect();
    let mut entries: Vec<Entry> = looks
        .iter()
        .map(|(label, colour)| Entry::new(label.clone(), Swatch::Range(*colour)))
        .collect();
    entries.push(Entry::new(
        "Bar: P10–P90 across replication-years",
        Swatch::Range(palette::BLACK),
    ));
    entries.push(Entry::new("Median", Swatch::Line(palette::BLACK)));
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let max = percent
        .iter()
        .flatten()
        .filter_map(|m| m.q.finite_max())
        .fold(0.0, f64::max)
        .min(100.0);
    let margins = Margins::standard(&theme);
    let plot_h =
        body.dim_in_pixel().1 as i32 - margins.top - margins.bottom - x_label_area_height(&theme);
    let y = ValueAxis::from_zero(
        if max > 0.0 { max } else { 1.0 },
        y_labels_for_height(&theme, plot_h),
    );
    let y_label_width = y_label_area_width(&body, &theme, &y.labels())?;
    let mut chart = margins.chart(
        &body,
        x_label_area_height(&theme),
        y_label_width,
        0.5..12.5,
        y.range(),
    )?;

    // Every month if the names fit, else every second or third.
    let (plot_w, _) = chart.plotting_area().dim_in_pixel();
    let mut widest = 0;
    for name in MONTHS {
        widest = widest.max(text_width(&body, name, &theme.tick_text())?);
    }
    let needed = widest + theme.tick_em() / 2;
    let month_w = plot_w as i32 / 12;
    let x_labels: usize = [12, 6, 4]
        .into_iter()
        .find(|&n| needed <= month_w * 12 / n as i32)
        .unwrap_or(4);
    let x_format = |v: &f64| {
        let month = v.round();
        if (v - month).abs() < 1e-6 && (1.0..=12.0).contains(&month) {
            MONTHS[month as usize - 1].to_string()
        } else {
            String::new()
        }
    };
    let y_format = |v: &f64| y.format(*v);
    draw_mesh(
        &mut chart,
        &theme,
        &Mesh {
            x_labels,
            y_labels: y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: Some("Calendar month"),
            y_title: "Weather downtime (% of hours)",
            y_label_width,
            x_grid: false,
        },
    )?;

    // Each month's bars side by side, in the legend's order.
    let clamp = |v: f64| v.clamp(y.lo, y.hi);
    let bar_w = GROUP_WIDTH / percent.len() as f64;
    for (index, (months, (_, colour))) in percent.iter().zip(&looks).enumerate() {
        let left = |m: &MonthQuantiles| {
            f64::from(m.month) - GROUP_WIDTH / 2.0 + bar_w * index as f64 + bar_w * 0.08
        };
        let right = |m: &MonthQuantiles| left(m) + bar_w * 0.84;
        let range = colour.mix(palette::RANGE_ALPHA).filled();
        chart
            .draw_series(
                months
                    .iter()
                    .filter(|m| m.q.p10.is_finite() && m.q.p90.is_finite())
                    .map(|m| {
                        Rectangle::new(
                            [(left(m), clamp(m.q.p10)), (right(m), clamp(m.q.p90))],
                            range,
                        )
                    }),
            )
            .drawn()?;
        let median = palette::shade(*colour, 0.35).stroke_width(theme.line_width());
        chart
            .draw_series(months.iter().filter(|m| m.q.p50.is_finite()).map(|m| {
                PathElement::new(
                    vec![(left(m), clamp(m.q.p50)), (right(m), clamp(m.q.p50))],
                    median,
                )
            }))
            .drawn()?;
    }

    if max <= 0.0 {
        draw_message(
            &chart.plotting_area().strip_coord_spec(),
            &theme,
            "No weather downtime in this run",
        )?;
    }
    Ok(())
}
