//! The heatmap of a two-parameter sweep: a cell per pair of values,
//! coloured on a sequential scale (viridis) with a labelled colour bar,
//! printed with its value where it has room; undefined cells hatched grey.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Drawn;
use super::super::axis::{ValueAxis, format_number, x_label_area_height, y_labels_for_height};
use super::super::band::Margins;
use super::super::legend::{Entry, Swatch, draw_row_legend, row_legend_height};
use super::super::theme::{Theme, draw_message, palette, text_width};
use super::Heatmap;
use super::layout::{extent, nice_axis, significant, titled, with_em};

/// matplotlib's viridis at nine evenly spaced points: perceptually uniform,
/// readable in grey and with every common colour-vision deficiency.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2d, 0x7b),
    (0x3b, 0x52, 0x8b),
    (0x2c, 0x72, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x28, 0xae, 0x80),
    (0x5e, 0xc9, 0x62),
    (0xad, 0xdc, 0x30),
    (0xfd, 0xe7, 0x25),
];

/// Steps the colour bar is drawn in.
const COLOUR_BAR_STEPS: i32 = 96;

/// Draws on the whole of `area` in pixels from the plot's top-left corner,
/// so ticks, labels and the colour bar beside the plot are not clipped to it.
struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    origin: (i32, i32),
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn at(&self, (x, y): (i32, i32)) -> (i32, i32) {
        (x + self.origin.0, y + self.origin.1)
    }

    fn line(&self, points: Vec<(i32, i32)>, style: ShapeStyle) -> anyhow::Result<()> {
        let points: Vec<(i32, i32)> = points.into_iter().map(|p| self.at(p)).collect();
        self.area.draw(&PathElement::new(points, style)).drawn()
    }

    fn rect(&self, [a, b]: [(i32, i32); 2], style: ShapeStyle) -> anyhow::Result<()> {
        self.area
            .draw(&Rectangle::new([self.at(a), self.at(b)], style))
            .drawn()
    }

    fn text(&self, text: &str, style: &TextStyle, at: (i32, i32)) -> anyhow::Result<()> {
        self.area.draw_text(text, style, self.at(at)).drawn()
    }
}

/// The colour of `t` in 0..=1 on the viridis scale.
fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let position = t * (VIRIDIS.len() - 1) as f64;
    let i = (position.floor() as usize).min(VIRIDIS.len() - 2);
    let f = position - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `colour`.
fn text_colour_on(colour: RGBColor) -> RGBColor {
    let luminance =
        0.2126 * f64::from(colour.0) + 0.7152 * f64::from(colour.1) + 0.0722 * f64::from(colour.2);
    if luminance > 140.0 {
        palette::BLACK
    } else {
        WHITE
    }
}

/// Undefined cells.
fn undefined_colour() -> RGBColor {
    palette::tint(palette::BLACK, 0.82)
}

/// The fewest decimals (up to six) that show every value exactly.
fn decimals_for(values: &[f64]) -> usize {
    (0..=6)
        .find(|&d| {
            values.iter().filter(|v| v.is_finite()).all(|v| {
                let scaled = v * 10f64.powi(d as i32);
                (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
            })
        })
        .unwrap_or(6)
}

/// The value at column `ix`, row `iy`: `NaN` where the table has none.
fn cell(heatmap: &Heatmap, ix: usize, iy: usize) -> f64 {
    heatmap
        .values
        .get(iy)
        .and_then(|row| row.get(ix))
        .copied()
        .unwrap_or(f64::NAN)
}

/// `style` no larger than fits `length` px, turned to read upwards.
fn rotated(
    area: &DrawingArea<impl DrawingBackend, Shift>,
    style: TextStyle<'static>,
    text: &str,
    length: i32,
) -> anyhow::Result<TextStyle<'static>> {
    let width = text_width(area, text, &style)?;
    let style = if width > length && width > 0 {
        let size = style.font.get_size() * f64::from(length.max(1)) / f64::from(width);
        TextStyle {
            font: style.font.resize(size),
            ..style
        }
    } else {
        style
    };
    Ok(style
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top)))
}

pub(super) fn draw_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    heatmap: &Heatmap,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, &heatmap.title)?;
    let (nx, ny) = (heatmap.xs.len(), heatmap.ys.len());
    let cells: Vec<f64> = (0..ny)
        .flat_map(|iy| (0..nx).map(move |ix| (ix, iy)))
        .map(|(ix, iy)| cell(heatmap, ix, iy))
        .collect();
    let Some(range) = extent(cells.iter().copied()) else {
        return draw_message(&body, &theme, "Nothing to draw");
    };
    let body = if cells.iter().any(|v| !v.is_finite()) {
        let entries = [Entry::new("No value", Swatch::Fill(undefined_colour()))];
        let (legend_area, rest) =
            body.split_vertically(row_legend_height(&body, &theme, &entries)?);
        draw_row_legend(&legend_area, &theme, &entries)?;
        rest
    } else {
        body
    };

    let tick = theme.tick_text();
    let margins = Margins::standard(&theme);
    let x_label_h = x_label_area_height(&theme);
    let body_h = body.dim_in_pixel().1;
    let plot_h = body_h as i32 - margins.top - margins.bottom - x_label_h;
    let scale = nice_axis(range.0, range.1, y_labels_for_height(&theme, plot_h));
    let x_decimals = decimals_for(&heatmap.xs);
    let y_decimals = decimals_for(&heatmap.ys);
    let x_labels: Vec<String> = heatmap
        .xs
        .iter()
        .map(|&x| format_number(x, x_decimals))
        .collect();
    let y_labels: Vec<String> = heatmap
        .ys
        .iter()
        .map(|&y| format_number(y, y_decimals))
        .collect();
    let widest = |labels: &[String]| -> anyhow::Result<i32> {
        let mut widest = 0;
        for label in labels {
            widest = widest.max(text_width(&body, label, &tick)?);
        }
        Ok(widest)
    };
    let chrome = theme.axis_title_em() + theme.gap() + 2 * theme.tick_len() + theme.px(4.0);
    let y_label_width = chrome + widest(&y_labels)?;
    let bar_w = theme.px(36.0);
    let bar_area = 2 * theme.gap() + bar_w + chrome + widest(&scale.labels())?;
    let last_x_label = x_labels
        .last()
        .map(|l| text_width(&body, l, &tick))
        .transpose()?;
    let margins = Margins {
        right: bar_area.max(last_x_label.unwrap_or(0) / 2 + theme.gap()),
        ..margins
    };

    let chart = margins.chart(
        &body,
        x_label_h,
        y_label_width,
        0.0..nx as f64,
        0.0..ny as f64,
    )?;
    let plot = chart.plotting_area().strip_coord_spec();
    let (plot_x, plot_y) = plot.get_base_pixel();
    let (body_x, body_y) = body.get_base_pixel();
    let canvas = Canvas {
        area: &body,
        origin: (plot_x - body_x, plot_y - body_y),
    };
    let (plot_w, plot_h) = plot.dim_in_pixel();
    let (plot_w, plot_h) = (plot_w as i32, plot_h as i32);
    let column = |ix: usize| (ix as i64 * i64::from(plot_w) / nx as i64) as i32;
    let row_bottom = |iy: usize| plot_h - (iy as i64 * i64::from(plot_h) / ny as i64) as i32;
    let colour_of = |v: f64| viridis((v - scale.lo) / (scale.hi - scale.lo));

    let cell_w = plot_w / nx as i32;
    let cell_h = plot_h / ny as i32;
    let value_style = value_style(&body, &theme, &cells, cell_w, cell_h)?;
    let separator = WHITE.stroke_width(theme.px(1.5) as u32);
    for iy in 0..ny {
        for ix in 0..nx {
            let (x0, x1) = (column(ix), column(ix + 1));
            let (y0, y1) = (row_bottom(iy + 1), row_bottom(iy));
            let value = cell(heatmap, ix, iy);
            let fill = if value.is_finite() {
                colour_of(value)
            } else {
                undefined_colour()
            };
            canvas.rect([(x0, y0), (x1, y1)], fill.filled())?;
            if !value.is_finite() {
                draw_hatching(&canvas, &theme, (x0, y0), (x1, y1))?;
            } else if let Some(style) = &value_style {
                let text_colour = text_colour_on(fill);
                let at = style
                    .color(&text_colour)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                canvas.text(&significant(value), &at, ((x0 + x1) / 2, (y0 + y1) / 2))?;
            }
            if cell_w > theme.px(40.0) && cell_h > theme.px(40.0) {
                canvas.rect([(x0, y0), (x1, y1)], separator)?;
            }
        }
    }

    // Axes: a tick and label at each cell's centre, thinned to fit.
    let axis = theme.axis_style();
    canvas.line(vec![(0, plot_h), (plot_w, plot_h)], axis)?;
    canvas.line(vec![(0, 0), (0, plot_h)], axis)?;
    let x_every = thinning(widest(&x_labels)? + theme.tick_em(), plot_w, nx);
    let at = tick.pos(Pos::new(HPos::Center, VPos::Top));
    for (ix, label) in x_labels.iter().enumerate().step_by(x_every) {
        let x = (column(ix) + column(ix + 1)) / 2;
        canvas.line(vec![(x, plot_h), (x, plot_h + theme.tick_len())], axis)?;
        canvas.text(label, &at, (x, plot_h + 2 * theme.tick_len()))?;
    }
    let y_every = thinning(theme.tick_em() * 3 / 2, plot_h, ny);
    let at = tick.pos(Pos::new(HPos::Right, VPos::Center));
    for (iy, label) in y_labels.iter().enumerate().step_by(y_every) {
        let y = (row_bottom(iy + 1) + row_bottom(iy)) / 2;
        canvas.line(vec![(-theme.tick_len(), y), (0, y)], axis)?;
        canvas.text(label, &at, (-2 * theme.tick_len(), y))?;
    }
    let x_title = theme
        .axis_title_text()
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    canvas.text(&heatmap.x_title, &x_title, (plot_w / 2, plot_h + x_label_h))?;
    let y_title = rotated(&body, theme.axis_title_text(), &heatmap.y_title, plot_h)?;
    canvas.text(&heatmap.y_title, &y_title, (-y_label_width, plot_h / 2))?;

    draw_colour_bar(
        &canvas,
        &theme,
        &scale,
        &heatmap.value_title,
        (plot_w + 2 * theme.gap(), bar_w, plot_h),
    )
}

/// Every how many cells a label goes, for labels `label_px` apart along
/// `length_px` holding `cells` cells.
fn thinning(label_px: i32, length_px: i32, cells: usize) -> usize {
    let cell_px = f64::from(length_px) / cells.max(1) as f64;
    ((f64::from(label_px) / cell_px.max(1e-9)).ceil() as usize).clamp(1, cells.max(1))
}

/// The largest style, from tick size down to nine px, at which every
/// value fits its cell; `None` when they do not fit even then.
fn value_style<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    cells: &[f64],
    cell_w: i32,
    cell_h: i32,
) -> anyhow::Result<Option<TextStyle<'static>>> {
    let pad = theme.px(6.0);
    for em_px in (9..=theme.tick_em()).rev() {
        if f64::from(em_px) > f64::from(cell_h) * 0.6 {
            continue;
        }
        let style = with_em(&theme.tick_text(), em_px);
        let mut fits = true;
        for value in cells.iter().filter(|v| v.is_finite()) {
            if text_width(area, &significant(*value), &style)? > cell_w - 2 * pad {
                fits = false;
                break;
            }
        }
        if fits {
            return Ok(Some(style));
        }
    }
    Ok(None)
}

/// Diagonal lines across the cell from `(x0, y0)` to `(x1, y1)`.
fn draw_hatching<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    theme: &Theme,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
) -> anyhow::Result<()> {
    let spacing = theme.px(14.0).max(3);
    let style = palette::BLACK.mix(0.35).stroke_width(theme.px(1.5) as u32);
    // Lines x − (y − y0) = c, for c from x0 − height to x1.
    let mut c = x0 - (y1 - y0) + spacing / 2;
    while c < x1 {
        let top = y0.max(y0 + x0 - c);
        let bottom = y1.min(y0 + x1 - c);
        if bottom > top {
            canvas.line(vec![(c + top - y0, top), (c + bottom - y0, bottom)], style)?;
        }
        c += spacing;
    }
    Ok(())
}

/// The colour scale as a vertical bar `width` px wide and `height` px
/// high from `left` px right of the plot's left edge, ticked and labelled
/// on its right, titled beyond.
fn draw_colour_bar<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    theme: &Theme,
    scale: &ValueAxis,
    title: &str,
    (left, width, height): (i32, i32, i32),
) -> anyhow::Result<()> {
    for step in 0..COLOUR_BAR_STEPS {
        let top = height - (step + 1) * height / COLOUR_BAR_STEPS;
        let bottom = height - step * height / COLOUR_BAR_STEPS;
        let t = (f64::from(step) + 0.5) / f64::from(COLOUR_BAR_STEPS);
        canvas.rect([(left, top), (left + width, bottom)], viridis(t).filled())?;
    }
    let axis = theme.axis_style();
    let right = left + width;
    canvas.rect([(left, 0), (right, height)], axis)?;
    let tick = theme.tick_text();
    let at = tick.pos(Pos::new(HPos::Left, VPos::Center));
    let mut widest = 0;
    let first = (scale.lo / scale.step - 1e-9).ceil() * scale.step;
    for (i, label) in scale.labels().iter().enumerate() {
        let value = first + i as f64 * scale.step;
        let fraction = (value - scale.lo) / (scale.hi - scale.lo);
        let y = height - (fraction * f64::from(height)).round() as i32;
        canvas.line(vec![(right, y), (right + theme.tick_len(), y)], axis)?;
        canvas.text(label, &at, (right + 2 * theme.tick_len(), y))?;
        widest = widest.max(text_width(canvas.area, label, &tick)?);
    }
    let style = rotated(canvas.area, theme.axis_title_text(), title, height)?;
    // Rotated text is anchored at its top, which faces left.
    let x = right + 2 * theme.tick_len() + widest + theme.gap();
    canvas.text(title, &style, (x, height / 2))
}

#[cfg(test)]
mod tests {
    use super::{decimals_for, thinning, viridis};
    use plotters::style::RGBColor;

    #[test]
    fn the_scale_runs_from_dark_purple_to_yellow() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn parameter_values_get_the_decimals_they_need() {
        assert_eq!(decimals_for(&[2.0, 3.0, 4.0]), 0);
        assert_eq!(decimals_for(&[0.5, 1.0, 1.25]), 2);
        assert_eq!(decimals_for(&[]), 0);
    }

    #[test]
    fn crowded_labels_are_thinned_to_every_nth_cell() {
        assert_eq!(thinning(30, 1000, 10), 1);
        assert_eq!(thinning(250, 1000, 10), 3);
        assert_eq!(thinning(30, 0, 1), 1);
    }
}
