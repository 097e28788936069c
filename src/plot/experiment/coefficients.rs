//! Global sensitivity: one bar per parameter, its standardised rank
//! regression coefficient on an axis fixed at −1..1.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Drawn;
use super::super::axis::{ValueAxis, format_number};
use super::super::theme::{Theme, draw_message, palette, text_width};
use super::Coefficients;
use super::layout::{Rows, XAxis, titled};

/// Bars of positive and of negative coefficients.
const POSITIVE: RGBColor = palette::BLUE;
const NEGATIVE: RGBColor = palette::VERMILLION;
/// Share of a row's height a bar fills.
const BAR_FILL: f64 = 0.7;

pub(super) fn draw_coefficients<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    coefficients: &Coefficients,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, &coefficients.title)?;
    if coefficients.bars.is_empty() {
        return draw_message(&body, &theme, "Nothing to draw");
    }
    let names: Vec<&str> = coefficients.bars.iter().map(|(n, _)| n.as_str()).collect();
    let rows = Rows::layout(&body, &theme, &names, 0)?;
    let x = XAxis::fitting(&body, &theme, rows.width(&body), rows.margins.right, |n| {
        ValueAxis::covering(-1.0, 1.0, n.max(3), false)
    })?;
    let mut chart = rows.chart(&body, &theme, x, &coefficients.x_title)?;
    let plot_w = f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
    let units_per_px = (x.axis.hi - x.axis.lo) / plot_w;

    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, rows.n as f64)],
            palette::BLACK.stroke_width(theme.axis_width()),
        )))
        .drawn()?;
    let style = rows.text_style(&theme, BAR_FILL);
    let gap = theme.gap() / 2;
    for (i, (_, value)) in coefficients.bars.iter().enumerate() {
        let y = rows.centre(i);
        if !value.is_finite() {
            let at = style.pos(Pos::new(HPos::Left, VPos::Center));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((0.0, y)) + Text::new("undefined", (gap, 0), at),
                ))
                .drawn()?;
            continue;
        }
        let end = value.clamp(x.axis.lo, x.axis.hi);
        let colour = if *value < 0.0 { NEGATIVE } else { POSITIVE };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - BAR_FILL / 2.0), (end, y + BAR_FILL / 2.0)],
                colour.filled(),
            )))
            .drawn()?;

        // The value beyond the bar's end, or inside it, in white, where
        // beyond would leave the plot.
        let label = format_number(*value, 2);
        let room = f64::from(text_width(&body, &label, &style)? + gap) * units_per_px;
        let outward = if *value < 0.0 { -1.0 } else { 1.0 };
        let outside = (x.axis.lo..=x.axis.hi).contains(&(end + outward * room));
        let rightward = outside == (*value >= 0.0);
        let (h, dx) = if rightward {
            (HPos::Left, gap)
        } else {
            (HPos::Right, -gap)
        };
        let text_colour = if outside { palette::BLACK } else { WHITE };
        let at = style.color(&text_colour).pos(Pos::new(h, VPos::Center));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((end, y)) + Text::new(label, (dx, 0), at),
            ))
            .drawn()?;
    }
    Ok(())
}
