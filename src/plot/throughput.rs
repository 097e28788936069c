//! `throughput`: annual recovered REO and dry mud delivered, two stacked
//! panels sharing the year axis (each its own y scale, so neither is
//! flattened), with dashed lines at phase starts labelled above the plot.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{
    ValueAxis, YearAxis, tonnes_unit, x_to_pixel, y_label_area_width, y_labels_for_height,
};
use super::band::{Band, BandPanel, Margins, draw_band_panel};
use super::data::{ThroughputData, YearQuantiles, series_max};
use super::legend::{self, draw_legend_on_top};
use super::phase_strip::PhaseStrip;
use super::theme::{Theme, draw_message, text_width, titled};

pub(crate) fn draw_throughput<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ThroughputData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Annual production")?;
    let reo_max = series_max(&data.reo_t).unwrap_or(0.0);
    let mud_max = series_max(&data.dry_mud_t).unwrap_or(0.0);
    if reo_max.max(mud_max) <= 0.0 {
        return draw_message(&body, &theme, "No production in this run");
    }

    let entries = legend::range_and_median("replications");
    let body = draw_legend_on_top(&body, &theme, entries, !data.phases.is_empty())?;

    let (reo_divisor, reo_unit) = tonnes_unit(reo_max);
    let (mud_divisor, mud_unit) = tonnes_unit(mud_max);
    let reo = scaled(&data.reo_t, reo_divisor);
    let mud = scaled(&data.dry_mud_t, mud_divisor);
    // Annual totals are steps across their year (year ± 0.5), so a phase
    // starting with year s is marked at s − 0.5, where its first step begins.
    let phase_starts: Vec<f64> = data.phases.iter().map(|p| p.start_year - 0.5).collect();
    let years = YearAxis::spanning(
        reo.iter()
            .chain(mud.iter())
            .flat_map(|p| [p.year - 0.5, p.year + 0.5]),
        &phase_starts,
    );

    // Vertical budget. The phase label strip's height depends on the label
    // layout, which depends on the y label width; estimate one row first.
    let top_margins = Margins {
        bottom: theme.gap(),
        ..Margins::standard(&theme)
    };
    let bottom_margins = Margins::standard(&theme);
    let top_chrome = BandPanel::chrome_height(&theme, top_margins, false);
    let bottom_chrome = BandPanel::chrome_height(&theme, bottom_margins, true);
    let body_h = body.dim_in_pixel().1 as i32;
    let estimated_strip = if phase_starts.is_empty() {
        0
    } else {
        PhaseStrip::row_height(&theme)
    };
    let plot_h = (body_h - estimated_strip - top_chrome - bottom_chrome) / 2;
    let y_labels = y_labels_for_height(&theme, plot_h);
    let reo_axis = ValueAxis::from_zero(reo_max / reo_divisor, y_labels);
    let mud_axis = ValueAxis::from_zero(mud_max / mud_divisor, y_labels);
    let mut y_labels_text = reo_axis.labels();
    y_labels_text.extend(mud_axis.labels());
    let y_label_width = y_label_area_width(&body, &theme, &y_labels_text)?;
    let columns = BandPanel::plot_columns(&body, bottom_margins, y_label_width);
    let x_labels = years.n_labels(&body, &theme, columns.end - columns.start)?;

    let phases: Vec<(i32, &str)> = phase_starts
        .iter()
        .zip(&data.phases)
        .map(|(&start, phase)| {
            let line = x_to_pixel(start, &years.range(), &columns);
            (line, phase.name.as_str())
        })
        .collect();
    let phase_strip = PhaseStrip::layout(&body, &theme, &phases, &columns)?;
    let (strip, panels) = body.split_vertically(phase_strip.height());

    let panels_h = panels.dim_in_pixel().1 as i32;
    let top_h = (panels_h + top_chrome - bottom_chrome) / 2;
    let plot_h = top_h - top_chrome;
    let (top, bottom) = panels.split_vertically(top_h);

    let reo_title = fitting_title(
        &body,
        &theme,
        [
            format!("Recovered REO ({reo_unit}/yr)"),
            format!("REO ({reo_unit}/yr)"),
        ],
        plot_h,
    )?;
    let mud_title = fitting_title(
        &body,
        &theme,
        [
            format!("Dry mud delivered ({mud_unit}/yr)"),
            format!("Dry mud ({mud_unit}/yr)"),
        ],
        plot_h,
    )?;
    draw_band_panel(
        &top,
        &theme,
        &BandPanel {
            bands: &[Band::standard(&reo)],
            years,
            calendar: false,
            x_labels,
            x_title: None,
            y: reo_axis,
            y_title: &reo_title,
            y_label_width,
            margins: top_margins,
            phase_starts: &phase_starts,
            steps: true,
        },
    )?;
    draw_band_panel(
        &bottom,
        &theme,
        &BandPanel {
            bands: &[Band::standard(&mud)],
            years,
            calendar: false,
            x_labels,
            x_title: Some("Simulated year"),
            y: mud_axis,
            y_title: &mud_title,
            y_label_width,
            margins: bottom_margins,
            phase_starts: &phase_starts,
            steps: true,
        },
    )?;

    phase_strip.draw(&strip, &theme, top_margins.top)
}

/// The series with every quantile divided by `divisor`.
fn scaled(series: &[YearQuantiles], divisor: f64) -> Vec<YearQuantiles> {
    series
        .iter()
        .map(|p| YearQuantiles {
            year: p.year,
            q: p.q.scaled(1.0 / divisor),
        })
        .collect()
}

/// The first of `titles` that fits along a y axis `length_px` long.
fn fitting_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    titles: [String; 2],
    length_px: i32,
) -> anyhow::Result<String> {
    let [long, short] = titles;
    let fits = text_width(area, &long, &theme.axis_title_text())? <= length_px;
    Ok(if fits { long } else { short })
}
