//! Response curves of a sweep: a metric's mean against one varied
//! parameter, one line per curve with its 95% CI shaded.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::super::Drawn;
use super::super::axis::{
    Chart2d, Mesh, draw_mesh, x_label_area_height, y_label_area_width, y_labels_for_height,
};
use super::super::band::Margins;
use super::super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::super::theme::{Theme, draw_message, palette};
use super::layout::{XAxis, extent, nice_axis, titled};
use super::{Band, Curve, Response};

/// Opacity of a curve's CI band: lighter when bands may overlap.
const BAND_ALPHA_ONE: f64 = 0.3;
const BAND_ALPHA_MANY: f64 = 0.18;

/// Curves with more points than this are drawn without point markers.
const MAX_MARKED_POINTS: usize = 40;

/// The colour of curve `i`: the Okabe–Ito palette, strongest first (yellow
/// darkened to read on white), then the same hues darker.
pub(super) fn curve_colour(i: usize) -> RGBColor {
    use palette::*;
    let hues = [
        BLUE,
        VERMILLION,
        BLUISH_GREEN,
        ORANGE,
        REDDISH_PURPLE,
        SKY_BLUE,
        BLACK,
        shade(YELLOW, 0.3),
    ];
    let hue = hues[i % hues.len()];
    if (i / hues.len()) % 2 == 0 {
        hue
    } else {
        shade(hue, 0.45)
    }
}

pub(super) fn draw_response<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    response: &Response,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, &response.title)?;
    let shown = |(x, band): &(f64, Band)| x.is_finite() && band.mean.is_finite();
    let points = || {
        response
            .curves
            .iter()
            .flat_map(|curve| curve.points.iter().filter(|p| shown(p)))
    };
    let (Some(xs), Some(ys)) = (
        extent(points().map(|(x, _)| *x)),
        extent(points().flat_map(|(_, b)| [b.mean, b.lo, b.hi])),
    ) else {
        return draw_message(&body, &theme, "Nothing to draw");
    };

    let entries = legend(&response.curves);
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let margins = Margins::standard(&theme);
    let (body_w, body_h) = body.dim_in_pixel();
    let plot_h = body_h as i32 - margins.top - margins.bottom - x_label_area_height(&theme);
    let y = nice_axis(ys.0, ys.1, y_labels_for_height(&theme, plot_h));
    let y_label_width = y_label_area_width(&body, &theme, &y.labels())?;
    let x = XAxis::fitting(
        &body,
        &theme,
        body_w as i32 - margins.left - y_label_width,
        margins.right,
        |n| nice_axis(xs.0, xs.1, n),
    )?;
    let margins = Margins {
        right: x.right,
        ..margins
    };
    let mut chart = margins.chart(
        &body,
        x_label_area_height(&theme),
        y_label_width,
        x.axis.range(),
        y.range(),
    )?;
    let x_format = |v: &f64| x.axis.format(*v);
    let y_format = |v: &f64| y.format(*v);
    draw_mesh(
        &mut chart,
        &theme,
        &Mesh {
            x_labels: x.axis.n_labels(),
            y_labels: y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: Some(&response.x_title),
            y_title: &response.y_title,
            y_label_width,
            x_grid: true,
        },
    )?;

    let alpha = if response.curves.len() > 1 {
        BAND_ALPHA_MANY
    } else {
        BAND_ALPHA_ONE
    };
    for (i, curve) in response.curves.iter().enumerate() {
        draw_band(&mut chart, &theme, curve, curve_colour(i), alpha)?;
    }
    for (i, curve) in response.curves.iter().enumerate() {
        draw_line(&mut chart, &theme, curve, curve_colour(i))?;
    }
    Ok(())
}

/// One entry per curve when there are several, and the CI band.
fn legend(curves: &[Curve]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = match curves {
        [only] => vec![Entry::new(
            if only.label.is_empty() {
                "Mean"
            } else {
                only.label.as_str()
            },
            Swatch::Line(curve_colour(0)),
        )],
        _ => curves
            .iter()
            .enumerate()
            .map(|(i, curve)| Entry::new(curve.label.clone(), Swatch::Line(curve_colour(i))))
            .collect(),
    };
    let band = if curves.len() > 1 {
        palette::tint(palette::BLACK, 0.5)
    } else {
        curve_colour(0)
    };
    entries.push(Entry::new("95% confidence interval", Swatch::Range(band)));
    entries
}

/// The CI of `curve` as a shaded band through each run of points with a
/// defined interval, and as a whisker at a lone such point.
fn draw_band<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    curve: &Curve,
    colour: RGBColor,
    alpha: f64,
) -> anyhow::Result<()> {
    let defined =
        |(x, band): &(f64, Band)| x.is_finite() && band.lo.is_finite() && band.hi.is_finite();
    for run in curve
        .points
        .split(|p| !defined(p))
        .filter(|r| !r.is_empty())
    {
        if let [(x, band)] = run {
            draw_whisker(chart, theme, *x, band, colour)?;
            continue;
        }
        let mut outline: Vec<(f64, f64)> = run.iter().map(|(x, b)| (*x, b.hi)).collect();
        outline.extend(run.iter().rev().map(|(x, b)| (*x, b.lo)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                colour.mix(alpha).filled(),
            )))
            .drawn()?;
    }
    Ok(())
}

/// A vertical CI whisker with caps at `x`.
fn draw_whisker<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    x: f64,
    band: &Band,
    colour: RGBColor,
) -> anyhow::Result<()> {
    let style = colour.stroke_width(theme.axis_width());
    let cap = theme.px(10.0);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x, band.lo), (x, band.hi)],
            style,
        )))
        .drawn()?;
    for y in [band.lo, band.hi] {
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y)) + PathElement::new(vec![(-cap, 0), (cap, 0)], style),
            ))
            .drawn()?;
    }
    Ok(())
}

/// The means of `curve` joined through each run of defined points, with a
/// marker at every point (unless there are very many).
fn draw_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    curve: &Curve,
    colour: RGBColor,
) -> anyhow::Result<()> {
    let defined = |(x, band): &(f64, Band)| x.is_finite() && band.mean.is_finite();
    let line = colour.stroke_width(theme.line_width());
    let marked = curve.points.len() <= MAX_MARKED_POINTS;
    for run in curve
        .points
        .split(|p| !defined(p))
        .filter(|r| !r.is_empty())
    {
        let points: Vec<(f64, f64)> = run.iter().map(|(x, b)| (*x, b.mean)).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), line))
            .drawn()?;
        if marked || run.len() == 1 {
            let radius = theme.line_width() * 3 / 2;
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, radius, colour.filled())),
                )
                .drawn()?;
        }
    }
    Ok(())
}
