//! Annual totals stacked per year: each layer's value as a block across its
//! year (year ± 0.5), stacked bottom-up from zero, negative values downward,
//! with a legend under the title. The refining and cost breakdown charts
//! are built from it.
//!
//! A layer is drawn only in the years where it has a value: a filled
//! rectangle per year, none where it is zero (a zero-height polygon edge
//! would paint a 1-px line in its colour over the block below). A white
//! rule parts two blocks only where both are taller than the rule, so it
//! never hides a thin layer. A last year that the horizon ends part way
//! through is drawn as wide as its share of a year, at its rate per year
//! (its total over that share).

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
    /// The share of a year the last year lasts, when under 1: its block is
    /// that wide and its values (totals over it) are drawn as rates.
    pub last_fraction: Option<f64>,
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

    let values: Vec<&[f64]> = shown.iter().map(|layer| layer.values.as_slice()).collect();
    let blocks = blocks(stacked.years, &values, stacked.last_fraction);
    let top = blocks.iter().map(|b| b.top.max(b.base)).fold(0.0, f64::max);
    let bottom = blocks.iter().map(|b| b.top.min(b.base)).fold(0.0, f64::min);
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
    // Whole years on the axis, so a part year's block fills the share of
    // its year's slot it lasted, from the slot's start.
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

    let rectangles = blocks.iter().map(|b| {
        Rectangle::new(
            [(b.x0, b.base / divisor), (b.x1, b.top / divisor)],
            shown[b.layer].colour.filled(),
        )
    });
    chart.draw_series(rectangles).drawn()?;

    // A white rule between two blocks of a year, where both are taller
    // than the rule, in pixels of the chart's coordinate transform.
    let rule_px = theme.px(1.5).max(1);
    let height_px = |b: &Block| {
        let (_, y0) = chart.backend_coord(&(b.x0, b.base / divisor));
        let (_, y1) = chart.backend_coord(&(b.x0, b.top / divisor));
        f64::from((y1 - y0).abs())
    };
    let rules = separators(&blocks, height_px, f64::from(rule_px))
        .into_iter()
        .map(|(x0, x1, v)| {
            PathElement::new(
                vec![(x0, v / divisor), (x1, v / divisor)],
                WHITE.stroke_width(rule_px as u32),
            )
        })
        .collect::<Vec<_>>();
    chart.draw_series(rules).drawn()?;
    Ok(())
}

/// One layer's block in one year, in the data's unit: from `x0` to `x1`
/// across, from `base` to `top` (below `base` for a negative value).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Block {
    /// Index into the layers given to [`blocks`].
    pub layer: usize,
    /// Index into the years.
    pub year: usize,
    pub x0: f64,
    pub x1: f64,
    pub base: f64,
    pub top: f64,
}

/// The width of year `index` of `count`: 1, or the last year's share of a
/// year when the horizon ends part way through it.
fn width(index: usize, count: usize, last_fraction: Option<f64>) -> f64 {
    match last_fraction {
        Some(fraction) if index + 1 == count && fraction > 0.0 && fraction < 1.0 => fraction,
        _ => 1.0,
    }
}

/// Every non-empty block of the stacks: each layer's value in each year
/// (`values[layer][year]`; not finite reads as zero), stacked bottom-up from
/// zero, negative values downward, in layer order within a year. A year
/// `w` of a year long spans year − 0.5 to year − 0.5 + w and its values
/// are divided by `w` (a total over a part year drawn as a rate). A zero
/// value has no block.
pub(crate) fn blocks(years: &[f64], values: &[&[f64]], last_fraction: Option<f64>) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (year, &x) in years.iter().enumerate() {
        let w = width(year, years.len(), last_fraction);
        let (mut up, mut down) = (0.0, 0.0);
        for (layer, layer_values) in values.iter().enumerate() {
            let v = finite_or_zero(layer_values.get(year).copied().unwrap_or(0.0)) / w;
            if v == 0.0 {
                continue;
            }
            let stack = if v > 0.0 { &mut up } else { &mut down };
            let base = *stack;
            *stack += v;
            blocks.push(Block {
                layer,
                year,
                x0: x - 0.5,
                x1: x - 0.5 + w,
                base,
                top: *stack,
            });
        }
    }
    blocks
}

/// The rules parting stacked blocks: (x0, x1, value) along the edge
/// between two blocks of a year that are next to each other on the same
/// side of zero, where both are taller than `rule_px` (`height_px` of a
/// block). None above the outermost block, so grid lines stay visible.
pub(crate) fn separators(
    blocks: &[Block],
    height_px: impl Fn(&Block) -> f64,
    rule_px: f64,
) -> Vec<(f64, f64, f64)> {
    let mut rules = Vec::new();
    for (i, inner) in blocks.iter().enumerate() {
        let upward = inner.top > inner.base;
        let outer = blocks[i + 1..]
            .iter()
            .find(|b| b.year == inner.year && (b.top > b.base) == upward);
        if let Some(outer) = outer
            && height_px(inner) > rule_px
            && height_px(outer) > rule_px
        {
            rules.push((inner.x0, inner.x1, inner.top));
        }
    }
    rules
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}
