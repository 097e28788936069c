//! The comparison of an alternative with the base: each metric's mean
//! difference in percent of the base, with its paired CI (common random
//! numbers) and the wider CI an unpaired comparison would give.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Drawn;
use super::super::axis::Chart2d;
use super::super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::super::theme::{Theme, draw_message, palette, text_width};
use super::layout::{Beside, Rows, Side, XAxis, capped_line, extent, significant, titled};
use super::{Comparison, Difference};

/// The paired CI, drawn thick.
const PAIRED: RGBColor = palette::BLUE;

/// The unpaired CI, drawn thin and lighter.
fn unpaired_colour() -> RGBColor {
    palette::tint(palette::BLUE, 0.5)
}

/// A difference in percent with its sign: 2.314 → "+2.31%".
fn signed_percent(value: f64) -> String {
    let number = significant(value);
    if value > 0.0 && number.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{number}%")
    } else {
        format!("{number}%")
    }
}

/// A CI whose ends are both finite.
fn interval((lo, hi): (f64, f64)) -> Option<(f64, f64)> {
    (lo.is_finite() && hi.is_finite()).then_some((lo.min(hi), lo.max(hi)))
}

/// What a row prints beside its outermost mark, away from zero: the mean,
/// or "undefined" right of zero.
fn row_label(row: &Difference) -> (f64, String, Side) {
    if !row.mean_pct.is_finite() {
        return (0.0, "undefined".to_string(), Side::Right);
    }
    let ends = [row.paired_pct, row.unpaired_pct]
        .into_iter()
        .filter_map(interval);
    let (x, side) = if row.mean_pct < 0.0 {
        (
            ends.map(|(lo, _)| lo).fold(row.mean_pct, f64::min),
            Side::Left,
        )
    } else {
        (
            ends.map(|(_, hi)| hi).fold(row.mean_pct, f64::max),
            Side::Right,
        )
    };
    (x, signed_percent(row.mean_pct), side)
}

pub(super) fn draw_comparison<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    comparison: &Comparison,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, &comparison.title)?;
    if comparison.rows.is_empty() {
        return draw_message(&body, &theme, "Nothing to draw");
    }
    let entries = vec![
        Entry::new("paired (common random numbers)", Swatch::Line(PAIRED)),
        Entry::new("unpaired", Swatch::ThinLine(unpaired_colour())),
    ];
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let names: Vec<&str> = comparison.rows.iter().map(|r| r.label.as_str()).collect();
    let rows = Rows::layout(&body, &theme, &names, 0)?;
    let value_style = rows.text_style(&theme, 0.7);
    let gap = theme.gap() / 2;
    let labels: Vec<(f64, String, Side)> = comparison.rows.iter().map(row_label).collect();
    let mut beside = Vec::new();
    for (x, label, side) in &labels {
        beside.push(Beside {
            x: *x,
            width_px: text_width(&body, label, &value_style)? + gap + theme.gap(),
            side: *side,
        });
    }
    let values = comparison.rows.iter().flat_map(|r| {
        [
            r.mean_pct,
            r.paired_pct.0,
            r.paired_pct.1,
            r.unpaired_pct.0,
            r.unpaired_pct.1,
        ]
    });
    let span = extent(values.chain([0.0])).unwrap_or((0.0, 0.0));
    let x = XAxis::holding(
        &body,
        &theme,
        rows.width(&body),
        rows.margins.right,
        span,
        &beside,
    )?;
    let mut chart = rows.chart(
        &body,
        &theme,
        x,
        "Difference from the base (% of the base mean)",
    )?;

    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, rows.n as f64)],
            palette::BLACK.stroke_width(theme.axis_width()),
        )))
        .drawn()?;
    for (i, row) in comparison.rows.iter().enumerate() {
        draw_row(&mut chart, &theme, &rows, i, row)?;
    }
    for (i, (x, label, side)) in labels.into_iter().enumerate() {
        let (h, dx) = match side {
            Side::Left => (HPos::Right, -gap),
            Side::Right => (HPos::Left, gap),
        };
        let style = value_style.pos(Pos::new(h, VPos::Center));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, rows.centre(i))) + Text::new(label, (dx, 0), style),
            ))
            .drawn()?;
    }
    Ok(())
}

/// Row `i`: the unpaired CI thin with caps, the paired CI thick over it,
/// the mean a dot.
fn draw_row<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    rows: &Rows,
    i: usize,
    row: &Difference,
) -> anyhow::Result<()> {
    if !row.mean_pct.is_finite() {
        return Ok(());
    }
    let y = rows.centre(i);
    if let Some((lo, hi)) = interval(row.unpaired_pct) {
        let style = unpaired_colour().stroke_width(theme.px(3.0) as u32);
        let cap = ((rows.row_px * 0.2).round() as i32).max(1);
        capped_line(chart, (lo, hi), y, cap, style)?;
    }
    let thick = (theme.px(10.0) as f64).min(rows.row_px * 0.4).max(1.0) as u32;
    if let Some((lo, hi)) = interval(row.paired_pct) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                PAIRED.stroke_width(thick),
            )))
            .drawn()?;
    }
    let radius = (thick as i32 * 4 / 5).max(2);
    chart
        .draw_series(std::iter::once(Circle::new(
            (row.mean_pct, y),
            radius,
            palette::BLACK.filled(),
        )))
        .drawn()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::signed_percent;

    #[test]
    fn differences_carry_their_sign_and_three_significant_figures() {
        assert_eq!(signed_percent(2.314), "+2.31%");
        assert_eq!(signed_percent(-0.5217), "-0.522%");
        assert_eq!(signed_percent(6.2), "+6.2%");
        assert_eq!(signed_percent(0.0), "0%");
        assert_eq!(signed_percent(1234.6), "+1,235%");
    }
}
