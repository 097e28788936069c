//! `time_budget`: where the mining systems' hours go, year by year, as
//! stacked areas from 0 to 100 %.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, YearAxis, draw_mesh, x_label_area_height, y_label_area_width,
    y_labels_for_height,
};
use super::band::Margins;
use super::data::TimeBudgetData;
use super::legend::{Entry, Swatch, column_legend_size, draw_column_legend};
use super::theme::{Theme, draw_message, humanise, state_colour, titled, unknown_state_colour};

pub(crate) fn draw_time_budget<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &TimeBudgetData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Mining-system time budget")?;
    // States never occupied add nothing to the stack but clutter the legend.
    let shown: Vec<usize> = (0..data.states.len())
        .filter(|&s| data.share[s].iter().any(|v| *v > 0.0))
        .collect();
    if data.years.is_empty() || shown.is_empty() {
        return draw_message(&body, &theme, "No mining-system time recorded in this run");
    }

    // Stacked bottom-up in file order; the legend lists them top-down, as
    // they appear in the picture.
    let mut fallback = 0;
    let colours: Vec<RGBColor> = shown
        .iter()
        .map(|&s| {
            state_colour(&data.states[s]).unwrap_or_else(|| {
                fallback += 1;
                unknown_state_colour(fallback - 1)
            })
        })
        .collect();
    let entries: Vec<Entry> = shown
        .iter()
        .zip(&colours)
        .rev()
        .map(|(&s, &colour)| Entry::new(humanise(&data.states[s]), Swatch::Fill(colour)))
        .collect();
    let margins = Margins::standard(&theme);
    let body_h = body.dim_in_pixel().1 as i32;
    let (legend_w, legend_columns) =
        column_legend_size(&body, &theme, &entries, body_h - margins.top)?;
    let body_w = body.dim_in_pixel().0 as i32;
    let (plot_area, legend_area) = body.split_horizontally(body_w - legend_w);
    let legend_area = legend_area.margin(margins.top, 0, 0, 0);
    draw_column_legend(&legend_area, &theme, &entries, legend_columns)?;

    let years: Vec<f64> = data.years.iter().map(|&y| f64::from(y)).collect();
    let x_axis = YearAxis::spanning(years.iter().copied(), &[]);
    let plot_h = body_h - margins.top - margins.bottom - x_label_area_height(&theme);
    let y = ValueAxis::from_zero(100.0, y_labels_for_height(&theme, plot_h));
    let y_label_width = y_label_area_width(&plot_area, &theme, &y.labels())?;
    let mut chart = margins.chart(
        &plot_area,
        x_label_area_height(&theme),
        y_label_width,
        x_axis.range(),
        y.range(),
    )?;
    let (plot_w, _) = chart.plotting_area().dim_in_pixel();
    let x_labels = x_axis.n_labels(&plot_area, &theme, plot_w as i32)?;
    let y_format = |v: &f64| y.format(*v);
    let x_format = |v: &f64| YearAxis::format(*v);
    draw_mesh(
        &mut chart,
        &theme,
        &Mesh {
            x_labels,
            y_labels: y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: Some("Simulated year"),
            y_title: "Share of time (%)",
            y_label_width,
            x_grid: false,
        },
    )?;

    // A single year is drawn across the whole axis.
    let xs: Vec<f64> = if years.len() == 1 {
        vec![x_axis.lo, x_axis.hi]
    } else {
        years.clone()
    };
    let column = |s: usize| -> Vec<f64> {
        if years.len() == 1 {
            vec![data.share[s][0]; 2]
        } else {
            data.share[s].clone()
        }
    };
    let mut below = vec![0.0; xs.len()];
    let separator = WHITE.stroke_width(theme.px(1.5) as u32);
    for (&s, &colour) in shown.iter().zip(&colours) {
        let above: Vec<f64> = below
            .iter()
            .zip(column(s))
            .map(|(b, share)| (b + 100.0 * finite_or_zero(share)).clamp(0.0, 100.0))
            .collect();
        let mut outline: Vec<(f64, f64)> = xs.iter().copied().zip(above.iter().copied()).collect();
        outline.extend(xs.iter().copied().zip(below.iter().copied()).rev());
        chart
            .draw_series(std::iter::once(Polygon::new(outline, colour.filled())))
            .drawn()?;
        let top: Vec<(f64, f64)> = xs.iter().copied().zip(above.iter().copied()).collect();
        chart.draw_series(LineSeries::new(top, separator)).drawn()?;
        below = above;
    }
    Ok(())
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}
