//! Annual totals stacked per year: each layer's value as a block across its
//! year (year ± 0.5), stacked bottom-up from zero, negative values downward,
//! with a legend under the title. The refining and cost breakdown charts
//! are built from it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, YearAxis, draw_mesh, x_label_area_height, y_label_area_width,
    y_labels_for_height,
};
use super::band::Margins;
use super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::theme::{Theme, draw_message, titled};

/// One stacked quantity: its value in each year of [`Stacked::years`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layer {
    pub label: String,
    pub colour: RGBColor,
    /// `NaN` where there is no value, drawn as zero.
    pub values: Vec<f64>,
}

pub(crate) struct Stacked<'a> {
    pub title: &'a str,
    /// Ascending.
    pub years: &'a [f64],
    /// Bottom-up; a layer that is zero in every year is left out.
    pub layers: &'a [Layer],
    /// Whether the years are calendar years (else simulated years).
    pub calendar: bool,
    /// (divisor, unit) for the largest magnitude of a stack.
    pub unit: fn(f64) -> (f64, &'static str),
    /// The y axis title for a unit.
    pub y_title: fn(&str) -> String,
    /// Written instead of a chart with nothing to stack.
    pub empty: &'a str,
}

pub(crate) fn draw_stacked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    stacked: &Stacked<'_>,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, stacked.title)?;
    let shown: Vec<&Layer> = stacked
        .layers
        .iter()
        .filter(|layer| layer.values.iter().any(|&v| finite_or_zero(v) != 0.0))
        .collect();
    if stacked.years.is_empty() || shown.is_empty() {
        return draw_message(&body, &theme, stacked.empty);
    }

    // Each year's stack: tops above zero, bottoms below, per layer.
    let mut above = vec![0.0; stacked.years.len()];
    let mut below = vec![0.0; stacked.years.len()];
    let mut spans: Vec<Vec<(f64, f64)>> = Vec::new();
    for layer in &shown {
        let span = layer
            .values
            .iter()
            .zip(above.iter_mut().zip(below.iter_mut()))
            .map(|(&v, (up, down))| {
                let v = finite_or_zero(v);
                let stack = if v >= 0.0 { up } else { down };
                let base = *stack;
                *stack += v;
                (base, *stack)
            })
            .collect();
        spans.push(span);
    }
    let top = above.iter().copied().fold(0.0, f64::max);
    let bottom = below.iter().copied().fold(0.0, f64::min);
    let (divisor, unit) = (stacked.unit)(top.max(-bottom));

    // Listed as stacked, top first.
    let entries: Vec<Entry> = shown
        .iter()
        .rev()
        .map(|layer| Entry::new(layer.label.clone(), Swatch::Fill(layer.colour)))
        .collect();
    let (legend_area, plot_area) =
        body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let margins = Margins::standard(&theme);
    let years = stacked.years;
    let x_axis = YearAxis::spanning(years.iter().flat_map(|&y| [y - 0.5, y + 0.5]), &[]);
    let plot_h = plot_area.dim_in_pixel().1 as i32
        - margins.top
        - margins.bottom
        - x_label_area_height(&theme);
    let y = ValueAxis::covering(
        bottom / divisor,
        top / divisor,
        y_labels_for_height(&theme, plot_h),
        false,
    );
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
    let x_format = |v: &f64| YearAxis::label(*v, stacked.calendar);
    let y_title = (stacked.y_title)(unit);
    draw_mesh(
        &mut chart,
        &theme,
        &Mesh {
            x_labels,
            y_labels: y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: Some(YearAxis::title(stacked.calendar)),
            y_title: &y_title,
            y_label_width,
            x_grid: false,
        },
    )?;

    // A white rule between layers, along each year's top of each block.
    let separator = WHITE.stroke_width(theme.px(1.5) as u32);
    for (layer, span) in shown.iter().zip(&spans) {
        let edges = |edge: fn(f64, f64) -> f64| -> Vec<(f64, f64)> {
            years
                .iter()
                .zip(span)
                .flat_map(|(&year, &(base, top))| {
                    let v = edge(base, top) / divisor;
                    [(year - 0.5, v), (year + 0.5, v)]
                })
                .collect()
        };
        let uppers = edges(f64::max);
        let mut outline = uppers.clone();
        outline.extend(edges(f64::min).into_iter().rev());
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                layer.colour.filled(),
            )))
            .drawn()?;
        let rules = uppers
            .chunks(2)
            .zip(span)
            .filter(|(_, (base, top))| top != base)
            .map(|(rule, _)| PathElement::new(rule.to_vec(), separator));
        chart.draw_series(rules).drawn()?;
    }
    Ok(())
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}
