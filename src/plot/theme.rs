//! The look shared by every chart: the Okabe–Ito palette, text and line
//! sizes scaled to the image, the title and the "nothing to draw" message.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;

/// Okabe & Ito (2008), "Color Universal Design": distinguishable with every
/// common colour-vision deficiency.
pub(crate) mod palette {
    use plotters::style::RGBColor;

    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);

    /// All eight, in Okabe and Ito's order.
    pub const ALL: [RGBColor; 8] = [
        ORANGE,
        SKY_BLUE,
        BLUISH_GREEN,
        YELLOW,
        BLUE,
        VERMILLION,
        REDDISH_PURPLE,
        BLACK,
    ];

    /// The median line of every chart.
    pub const MEDIAN: RGBColor = BLUE;
    /// The P10–P90 range of every chart (drawn translucent).
    pub const RANGE: RGBColor = SKY_BLUE;
    /// Opacity of the P10–P90 range.
    pub const RANGE_ALPHA: f64 = 0.45;

    /// `colour` mixed with white; `amount` 0 keeps it, 1 gives white. A
    /// second shade of a palette colour, for charts with more than eight
    /// categories.
    pub fn tint(colour: RGBColor, amount: f64) -> RGBColor {
        let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount).round() as u8;
        RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
    }

    /// `colour` mixed with black; `amount` 0 keeps it, 1 gives black.
    pub fn shade(colour: RGBColor, amount: f64) -> RGBColor {
        let mix = |c: u8| (f64::from(c) * (1.0 - amount)).round() as u8;
        RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
    }
}

/// Every known state of a unit, in the order legends list them, with its
/// fixed colour, so a state keeps its colour from chart to chart and run
/// to run: related states share a hue (tripping in and out, weather and
/// typhoon), logistics are greys, lifting is green and cargo moving
/// between ships a dark green, waiting for the other party yellow.
fn known_states() -> [(&'static str, RGBColor); 18] {
    use palette::*;
    [
        ("idle", tint(BLACK, 0.88)),
        ("transit", tint(BLACK, 0.5)),
        ("port_queue", tint(BLACK, 0.7)),
        ("unloading", tint(REDDISH_PURPLE, 0.5)),
        ("tripping_in", ORANGE),
        ("tripping_out", tint(ORANGE, 0.55)),
        ("lifting", BLUISH_GREEN),
        ("blocked", YELLOW),
        ("weather", SKY_BLUE),
        ("typhoon", BLUE),
        ("failure", VERMILLION),
        ("maintenance", REDDISH_PURPLE),
        ("crew_change", tint(BLUISH_GREEN, 0.55)),
        ("relocation", tint(BLACK, 0.25)),
        ("site_queue", shade(ORANGE, 0.45)),
        ("waiting_cargo", tint(YELLOW, 0.55)),
        ("transferring", shade(BLUISH_GREEN, 0.45)),
        ("loading", shade(SKY_BLUE, 0.45)),
    ]
}

/// The fixed colour of a known state ([`known_states`]).
pub(crate) fn state_colour(state: &str) -> Option<RGBColor> {
    known_states()
        .into_iter()
        .find(|(name, _)| *name == state)
        .map(|(_, colour)| colour)
}

/// Where a known state comes in a legend; unknown states come after.
pub(crate) fn state_rank(state: &str) -> usize {
    known_states()
        .iter()
        .position(|(name, _)| *name == state)
        .unwrap_or(usize::MAX)
}

/// Colours for states the charts do not know: the palette, then its tints.
pub(crate) fn unknown_state_colour(index: usize) -> RGBColor {
    let base = palette::ALL[index % palette::ALL.len()];
    if (index / palette::ALL.len()) % 2 == 0 {
        base
    } else {
        palette::tint(base, 0.5)
    }
}

/// Sizes for one image. Everything is proportional to the image, with
/// 1200 × 800 px as the reference: there, tick labels are 29 px high, which
/// is about 6 pt once the chart is shrunk to an 85 mm journal column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Theme {
    scale: f64,
}

/// plotters sizes text by 1.24 × its em height.
const PLOTTERS_FONT_FACTOR: f64 = 1.24;

impl Theme {
    pub fn for_size((width, height): (u32, u32)) -> Self {
        let scale = (f64::from(width) / 1200.0).min(f64::from(height) / 800.0);
        Theme {
            scale: scale.max(0.2),
        }
    }

    /// A length given at the reference size, in pixels of this image.
    pub fn px(&self, reference_px: f64) -> i32 {
        ((reference_px * self.scale).round() as i32).max(1)
    }

    fn text(&self, em_px: f64) -> TextStyle<'static> {
        let size = (em_px * self.scale).max(9.0) * PLOTTERS_FONT_FACTOR;
        ("sans-serif", size).into_font().color(&BLACK)
    }

    pub fn title_text(&self) -> TextStyle<'static> {
        self.text(38.0)
    }

    pub fn axis_title_text(&self) -> TextStyle<'static> {
        self.text(32.0)
    }

    pub fn tick_text(&self) -> TextStyle<'static> {
        self.text(29.0)
    }

    pub fn legend_text(&self) -> TextStyle<'static> {
        self.text(29.0)
    }

    /// Em height of tick labels, in pixels.
    pub fn tick_em(&self) -> i32 {
        em(&self.tick_text())
    }

    /// Em height of axis titles, in pixels.
    pub fn axis_title_em(&self) -> i32 {
        em(&self.axis_title_text())
    }

    /// Width of median and other data lines.
    pub fn line_width(&self) -> u32 {
        self.px(4.0) as u32
    }

    /// Width of axis lines and tick marks.
    pub fn axis_width(&self) -> u32 {
        self.px(2.0) as u32
    }

    /// Length of tick marks; plotters puts labels twice this from the axis.
    pub fn tick_len(&self) -> i32 {
        self.px(8.0)
    }

    /// The standard gap between blocks (title, legend, panels, edge).
    pub fn gap(&self) -> i32 {
        self.px(16.0)
    }

    /// Axis lines and tick marks.
    pub fn axis_style(&self) -> ShapeStyle {
        BLACK.stroke_width(self.axis_width())
    }

    /// Grid lines at the labelled ticks.
    pub fn grid_style(&self) -> ShapeStyle {
        BLACK.mix(0.12).stroke_width(self.px(1.5) as u32)
    }
}

/// Em height of a text style, in pixels.
pub(crate) fn em(style: &TextStyle) -> i32 {
    (style.font.get_size() / PLOTTERS_FONT_FACTOR).round() as i32
}

/// Width of `text` in `style`, in pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> anyhow::Result<i32> {
    Ok(area.estimate_text_size(text, style).drawn()?.0 as i32)
}

/// Draws `title` centred at the top of `root`; returns the area below it.
pub(crate) fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let style = theme.title_text();
    let (width, _) = root.dim_in_pixel();
    let top = theme.gap();
    root.draw_text(
        title,
        &style.pos(Pos::new(HPos::Center, VPos::Top)),
        (width as i32 / 2, top),
    )
    .drawn()?;
    let height = top + em(&style) + theme.gap();
    Ok(root.split_vertically(height).1)
}

/// Writes `message` in the middle of `area`, for a chart with nothing to draw.
pub(crate) fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    message: &str,
) -> anyhow::Result<()> {
    let (width, height) = area.dim_in_pixel();
    let style = theme.axis_title_text().color(&palette::BLACK);
    area.draw_text(
        message,
        &style.pos(Pos::new(HPos::Center, VPos::Center)),
        (width as i32 / 2, height as i32 / 2),
    )
    .drawn()
}

/// A state or metric name as a label: `tripping_in` → "Tripping in".
pub(crate) fn humanise(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
