//! `weather_months`: the share of each calendar month lost to weather
//! (waves above the lifting limit or a typhoon alert), as P10–P90 bars
//! with the median marked, across replications and years.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, draw_mesh, x_label_area_height, y_label_area_width, y_labels_for_height,
};
use super::band::Margins;
use super::data::MonthQuantiles;
use super::legend::{self, draw_row_legend, row_legend_height};
use super::theme::{Theme, draw_message, palette, text_width, titled};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Half the width of a month's bar, in months.
const HALF_BAR: f64 = 0.3;

pub(crate) fn draw_weather_months<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    months: &[MonthQuantiles],
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Weather downtime by calendar month")?;
    let percent: Vec<MonthQuantiles> = months
        .iter()
        .filter(|m| m.q.finite_max().is_some())
        .map(|m| MonthQuantiles {
            month: m.month,
            q: m.q.scaled(100.0),
        })
        .collect();
    if percent.is_empty() {
        return draw_message(&body, &theme, "No weather data in this run");
    }

    let entries = legend::range_and_median("replication-years");
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let max = percent
        .iter()
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

    let clamp = |v: f64| v.clamp(y.lo, y.hi);
    let x = |m: &MonthQuantiles| f64::from(m.month);
    let range = palette::RANGE.mix(palette::RANGE_ALPHA).filled();
    chart
        .draw_series(
            percent
                .iter()
                .filter(|m| m.q.p10.is_finite() && m.q.p90.is_finite())
                .map(|m| {
                    Rectangle::new(
                        [
                            (x(m) - HALF_BAR, clamp(m.q.p10)),
                            (x(m) + HALF_BAR, clamp(m.q.p90)),
                        ],
                        range,
                    )
                }),
        )
        .drawn()?;
    let median = palette::MEDIAN.stroke_width(theme.line_width());
    chart
        .draw_series(percent.iter().filter(|m| m.q.p50.is_finite()).map(|m| {
            PathElement::new(
                vec![
                    (x(m) - HALF_BAR, clamp(m.q.p50)),
                    (x(m) + HALF_BAR, clamp(m.q.p50)),
                ],
                median,
            )
        }))
        .drawn()?;

    if max <= 0.0 {
        draw_message(
            &chart.plotting_area().strip_coord_spec(),
            &theme,
            "No weather downtime in this run",
        )?;
    }
    Ok(())
}
