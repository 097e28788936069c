//! `cumulative_reo`: REO recovered up to the end of each simulated year.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{ValueAxis, YearAxis, tonnes_unit, y_label_area_width, y_labels_for_height};
use super::band::{Band, BandPanel, Margins, draw_band_panel};
use super::data::{CumulativeData, YearQuantiles, series_max};
use super::legend::{self, draw_row_legend, row_legend_height};
use super::theme::{Theme, draw_message, titled};

pub(crate) fn draw_cumulative_reo<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &CumulativeData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Cumulative recovered REO")?;
    let max = series_max(&data.reo_t).unwrap_or(0.0);
    if max <= 0.0 {
        return draw_message(&body, &theme, "No REO recovered in this run");
    }

    let entries = legend::range_and_median("replications");
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let (divisor, unit) = tonnes_unit(max);
    let series: Vec<YearQuantiles> = data
        .reo_t
        .iter()
        .map(|p| YearQuantiles {
            year: p.year,
            q: p.q.scaled(1.0 / divisor),
        })
        .collect();
    let years = YearAxis::spanning(series.iter().map(|p| p.year), &[]);
    let margins = Margins::standard(&theme);
    let plot_h = body.dim_in_pixel().1 as i32 - BandPanel::chrome_height(&theme, margins, true);
    let y = ValueAxis::from_zero(max / divisor, y_labels_for_height(&theme, plot_h));
    let y_label_width = y_label_area_width(&body, &theme, &y.labels())?;
    let columns = BandPanel::plot_columns(&body, margins, y_label_width);
    let y_title = format!("Cumulative REO ({unit})");
    draw_band_panel(
        &body,
        &theme,
        &BandPanel {
            bands: &[Band::standard(&series)],
            years,
            calendar: false,
            x_labels: years.n_labels(&body, &theme, columns.end - columns.start)?,
            x_title: Some("Simulated year"),
            y,
            y_title: &y_title,
            y_label_width,
            margins,
            phase_starts: &[],
            steps: false,
        },
    )?;
    Ok(())
}
