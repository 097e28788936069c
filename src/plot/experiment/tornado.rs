//! The tornado chart of one-at-a-time sensitivity: for each parameter, bars
//! from the base value to the metric at its low and its high input, the
//! largest swing on top.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Drawn;
use super::super::axis::Chart2d;
use super::super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::super::theme::{Theme, draw_message, em, palette, text_width};
use super::layout::{Beside, Rows, Side, XAxis, capped_line, extent, significant, titled};
use super::{Band, Tornado, TornadoBar};

/// Bars at the low input.
const LOW: RGBColor = palette::SKY_BLUE;
/// Bars at the high input.
const HIGH: RGBColor = palette::ORANGE;
/// Share of a row's height its bars fill.
const BAR_FILL: f64 = 0.7;
/// Opacity of the base value's CI, shaded across the plot.
const BASE_CI_ALPHA: f64 = 0.12;

/// One end of a bar: the result at one input, and where it is drawn.
struct End<'a> {
    input: &'a str,
    result: Band,
    colour: RGBColor,
    side: Side,
    /// The y band of the row it fills: (bottom, top).
    y: (f64, f64),
}

impl End<'_> {
    /// The x its input label is set beside, and the label: the outer end
    /// of the bar or whisker, or the base for an undefined result.
    fn label(&self, base: f64) -> Option<(f64, String)> {
        if self.result.mean.is_finite() {
            let outer = match self.side {
                Side::Left => self
                    .result
                    .mean
                    .min(finite_or(self.result.lo, f64::INFINITY)),
                Side::Right => self
                    .result
                    .mean
                    .max(finite_or(self.result.hi, f64::NEG_INFINITY)),
            };
            Some((outer, self.input.to_string()))
        } else if base.is_finite() {
            Some((base, format!("{}: undefined", self.input)))
        } else {
            None
        }
    }
}

fn finite_or(value: f64, otherwise: f64) -> f64 {
    if value.is_finite() { value } else { otherwise }
}

/// The two ends of row `i`'s bar. Ends on opposite sides of the base share
/// the row; ends on the same side each take half of it, low above high.
fn ends<'a>(bar: &'a TornadoBar, base: f64, centre: f64) -> [End<'a>; 2] {
    let half = BAR_FILL / 2.0;
    let side = |value: f64, default: Side| {
        let reference = if base.is_finite() {
            base
        } else {
            (finite_or(bar.low.mean, 0.0) + finite_or(bar.high.mean, 0.0)) / 2.0
        };
        if value > reference {
            Side::Right
        } else if value < reference {
            Side::Left
        } else {
            default
        }
    };
    let low_side = side(bar.low.mean, Side::Left);
    let high_side = side(bar.high.mean, Side::Right);
    let (low_y, high_y) = if low_side == high_side {
        (
            (centre + 0.02, centre + half),
            (centre - half, centre - 0.02),
        )
    } else {
        (
            (centre - half, centre + half),
            (centre - half, centre + half),
        )
    };
    [
        End {
            input: &bar.low_input,
            result: bar.low,
            colour: LOW,
            side: low_side,
            y: low_y,
        },
        End {
            input: &bar.high_input,
            result: bar.high,
            colour: HIGH,
            side: high_side,
            y: high_y,
        },
    ]
}

pub(super) fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    tornado: &Tornado,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, &tornado.title)?;
    let base = tornado.base;
    let values = tornado
        .bars
        .iter()
        .flat_map(|bar| [bar.low, bar.high])
        .chain([base])
        .flat_map(|band| [band.mean, band.lo, band.hi]);
    let Some(span) = extent(values) else {
        return draw_message(&body, &theme, "Nothing to draw");
    };

    let entries = vec![
        Entry::new("low input", Swatch::Fill(LOW)),
        Entry::new("high input", Swatch::Fill(HIGH)),
        Entry::new("95% confidence interval", Swatch::ThinLine(palette::BLACK)),
    ];
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let base_style = theme.tick_text();
    let strip = em(&base_style) + theme.gap();
    let names: Vec<&str> = tornado.bars.iter().map(|b| b.parameter.as_str()).collect();
    let rows = Rows::layout(&body, &theme, &names, strip)?;
    let input_style = rows.text_style(&theme, BAR_FILL);

    let all_ends: Vec<[End; 2]> = tornado
        .bars
        .iter()
        .enumerate()
        .map(|(i, bar)| ends(bar, base.mean, rows.centre(i)))
        .collect();
    let gap = theme.gap() / 2;
    let mut beside = Vec::new();
    for end in all_ends.iter().flatten() {
        if let Some((x, label)) = end.label(base.mean) {
            let width_px = text_width(&body, &label, &input_style)? + gap + theme.gap();
            beside.push(Beside {
                x,
                width_px,
                side: end.side,
            });
        }
    }
    let x = XAxis::holding(
        &body,
        &theme,
        rows.width(&body),
        rows.margins.right,
        span,
        &beside,
    )?;
    let mut chart = rows.chart(&body, &theme, x, &tornado.metric_title)?;
    let top = rows.n as f64;

    if base.lo.is_finite() && base.hi.is_finite() {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(base.lo, 0.0), (base.hi, top)],
                palette::BLACK.mix(BASE_CI_ALPHA).filled(),
            )))
            .drawn()?;
    }
    if base.mean.is_finite() {
        for end in all_ends.iter().flatten() {
            if end.result.mean.is_finite() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(base.mean, end.y.0), (end.result.mean, end.y.1)],
                        end.colour.filled(),
                    )))
                    .drawn()?;
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base.mean, 0.0), (base.mean, top)],
                palette::BLACK.stroke_width(theme.axis_width()),
            )))
            .drawn()?;
        for end in all_ends.iter().flatten() {
            draw_whisker(&mut chart, &theme, &rows, end)?;
        }
    } else {
        // Without a base there are no bars: each result is a dot on its whisker.
        for end in all_ends.iter().flatten() {
            draw_whisker(&mut chart, &theme, &rows, end)?;
        }
        for end in all_ends.iter().flatten() {
            let centre = (end.result.mean, (end.y.0 + end.y.1) / 2.0);
            if end.result.mean.is_finite() {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        centre,
                        theme.line_width() * 2,
                        end.colour.filled(),
                    )))
                    .drawn()?;
            }
        }
    }
    for end in all_ends.iter().flatten() {
        if let Some((x, label)) = end.label(base.mean) {
            let (h, dx) = match end.side {
                Side::Left => (HPos::Right, -gap),
                Side::Right => (HPos::Left, gap),
            };
            let style = input_style.pos(Pos::new(h, VPos::Center));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((x, (end.y.0 + end.y.1) / 2.0))
                        + Text::new(label, (dx, 0), style),
                ))
                .drawn()?;
        }
    }
    for (i, [low, high]) in all_ends.iter().enumerate() {
        if low.label(base.mean).is_none() && high.label(base.mean).is_none() {
            let middle = (x.axis.lo + x.axis.hi) / 2.0;
            let style = input_style.pos(Pos::new(HPos::Center, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(
                    "undefined",
                    (middle, rows.centre(i)),
                    style,
                )))
                .drawn()?;
        }
    }
    draw_base_label(&body, &chart, &theme, base, top)
}

/// The CI whisker of a bar end, across the middle of its bar.
fn draw_whisker<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    rows: &Rows,
    end: &End<'_>,
) -> anyhow::Result<()> {
    let Band { mean, lo, hi } = end.result;
    if !(mean.is_finite() && lo.is_finite() && hi.is_finite()) {
        return Ok(());
    }
    let y = (end.y.0 + end.y.1) / 2.0;
    let style = palette::BLACK.stroke_width(theme.px(2.5) as u32);
    let cap = ((end.y.1 - end.y.0) * rows.row_px * 0.3).round() as i32;
    capped_line(chart, (lo, hi), y, cap, style)
}

/// "Base: value" above the plot, centred on the base line but kept inside
/// the image.
fn draw_base_label<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    chart: &Chart2d<'_, DB>,
    theme: &Theme,
    base: Band,
    top: f64,
) -> anyhow::Result<()> {
    let style = theme.tick_text();
    let (label, at) = if base.mean.is_finite() {
        (format!("Base: {}", significant(base.mean)), base.mean)
    } else {
        let range = chart.x_range();
        (
            "Base: undefined".to_string(),
            (range.start + range.end) / 2.0,
        )
    };
    let (x, y) = chart.backend_coord(&(at, top));
    let (origin_x, origin_y) = body.get_base_pixel();
    let width = text_width(body, &label, &style)?;
    let body_w = body.dim_in_pixel().0 as i32;
    let centre = (x - origin_x).clamp(width / 2 + theme.gap(), body_w - width / 2 - theme.gap());
    body.draw_text(
        &label,
        &style.pos(Pos::new(HPos::Center, VPos::Bottom)),
        (centre, y - origin_y - theme.gap() / 2),
    )
    .drawn()
}
