//! `timeline`: what each vessel of the traced replication did, one row per
//! vessel, coloured by state in the time budget's colours, with dashed lines
//! at phase starts named above the plot.
//!
//! A long trace has far more state changes than the chart has pixels, so
//! each row is drawn per pixel column: a column takes the colour of the
//! state that held most of its time, and a run of columns in the same
//! state is one rectangle. The chart stays legible, and the SVG small, at
//! any horizon.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::axis::{ValueAxis, labels_that_fit, x_label_area_height, x_to_pixel};
use super::band::{BandPanel, Margins};
use super::data::{Span, TimelineData};
use super::legend::{Entry, Swatch, draw_legend_on_top};
use super::phase_strip::PhaseStrip;
use super::theme::{
    Theme, draw_message, em, humanise, palette, state_colour, state_rank, text_width, titled,
    unknown_state_colour,
};
use crate::engine::HOURS_PER_YEAR;

/// Share of a row's height its bar fills; the rest separates the rows.
const BAR_FILL: f64 = 0.76;

/// A trace longer than this is drawn in years, a shorter one in days, h.
const YEARS_FROM_H: f64 = 2.0 * HOURS_PER_YEAR;

/// Unit names are drawn no smaller than this, px; below it only every
/// second (third, …) row is named.
const MIN_NAME_PX: f64 = 9.0;

pub(crate) fn draw_timeline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &TimelineData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Vessel timeline of the traced replication")?;
    let rows = data.units.len();
    if rows == 0 || data.end_h <= 0.0 {
        return draw_message(&body, &theme, "No vessel time in this trace");
    }
    let (hours_per_x, x_title) = if data.end_h > YEARS_FROM_H {
        (HOURS_PER_YEAR, "Simulated time (years)")
    } else {
        (24.0, "Simulated time (days)")
    };
    let end_x = data.end_h / hours_per_x;
    let phases: Vec<(f64, &str)> = data
        .phases
        .iter()
        .map(|p| ((p.start_year - 1.0) * HOURS_PER_YEAR, p.name.as_str()))
        .filter(|&(start_h, _)| (0.0..=data.end_h).contains(&start_h))
        .map(|(start_h, name)| (start_h / hours_per_x, name))
        .collect();

    // Unit names beside their rows: room for them at full size; they are
    // set smaller below if the rows are thin.
    let margins = Margins::standard(&theme);
    let mut widest_name = 0;
    for unit in &data.units {
        widest_name = widest_name.max(text_width(&body, &unit.name, &theme.tick_text())?);
    }
    let y_label_width = widest_name + theme.gap();

    // The time axis: the most labels that fit, with room at the right end
    // for the last one.
    let body_w = body.dim_in_pixel().0 as i32;
    let mut x = ValueAxis::within(0.0, end_x, 2);
    let mut right = margins.right;
    for max_labels in (2..=12).rev() {
        let candidate = ValueAxis::within(0.0, end_x, max_labels);
        let mut widest = 0;
        for label in candidate.labels() {
            widest = widest.max(text_width(&body, &label, &theme.tick_text())?);
        }
        let candidate_right = margins.right.max(widest / 2 + theme.px(4.0));
        let plot_w = body_w - margins.left - candidate_right - y_label_width;
        (x, right) = (candidate, candidate_right);
        if labels_that_fit(plot_w, widest + theme.tick_em()) >= candidate.n_labels() {
            break;
        }
    }
    let margins = Margins { right, ..margins };
    let columns = BandPanel::plot_columns(&body, margins, y_label_width);
    let plot_w = (columns.end - columns.start).max(1) as usize;

    // Each row as drawn, and a legend of the states it shows, in the time
    // budget's order, with the phase marker.
    let runs: Vec<Vec<Span>> = data
        .units
        .iter()
        .map(|unit| dominant_runs(&unit.spans, data.states.len(), data.end_h, plot_w))
        .collect();
    let mut shown: Vec<usize> = (0..data.states.len())
        .filter(|&s| runs.iter().flatten().any(|run| run.state == s))
        .collect();
    shown.sort_by_key(|&s| state_rank(&data.states[s]));
    let mut colours = vec![palette::BLACK; data.states.len()];
    let mut fallback = 0;
    for &s in &shown {
        colours[s] = state_colour(&data.states[s]).unwrap_or_else(|| {
            fallback += 1;
            unknown_state_colour(fallback - 1)
        });
    }
    let entries: Vec<Entry> = shown
        .iter()
        .map(|&s| Entry::new(humanise(&data.states[s]), Swatch::Fill(colours[s])))
        .collect();
    let body = draw_legend_on_top(&body, &theme, entries, !phases.is_empty())?;

    // Phase names in a strip above the plot, as on the throughput chart.
    let phase_lines: Vec<(i32, &str)> = phases
        .iter()
        .map(|&(start, name)| (x_to_pixel(start, &x.range(), &columns), name))
        .collect();
    let phase_strip = PhaseStrip::layout(&body, &theme, &phase_lines, &columns)?;
    let (strip, panel) = body.split_vertically(phase_strip.height());

    let mut chart = margins.chart(
        &panel,
        x_label_area_height(&theme),
        y_label_width,
        x.range(),
        0.0..rows as f64,
    )?;
    let x_format = |v: &f64| x.format(*v);
    chart
        .configure_mesh()
        .x_labels(x.n_labels())
        .y_labels(0)
        .x_label_formatter(&x_format)
        .disable_mesh()
        .axis_style(theme.axis_style())
        .label_style(theme.tick_text())
        .axis_desc_style(theme.axis_title_text())
        .set_all_tick_mark_size(theme.tick_len())
        .x_desc(x_title)
        .draw()
        .drawn()?;

    for (i, unit_runs) in runs.iter().enumerate() {
        let top = (rows - i) as f64 - (1.0 - BAR_FILL) / 2.0;
        let bottom = (rows - i - 1) as f64 + (1.0 - BAR_FILL) / 2.0;
        chart
            .draw_series(unit_runs.iter().map(|run| {
                Rectangle::new(
                    [
                        (run.start_h / hours_per_x, bottom),
                        (run.end_h / hours_per_x, top),
                    ],
                    colours[run.state].filled(),
                )
            }))
            .drawn()?;
    }

    let plot = chart.plotting_area().strip_coord_spec();
    let plot_h = plot.dim_in_pixel().1;
    let (name_style, name_every) = name_style(&theme, f64::from(plot_h) / rows as f64);
    let name_at = name_style.pos(Pos::new(HPos::Right, VPos::Center));
    for (i, unit) in data.units.iter().enumerate().step_by(name_every) {
        let y = (f64::from(plot_h) * (i as f64 + 0.5) / rows as f64).round() as i32;
        plot.draw_text(&unit.name, &name_at, (-theme.gap() / 2, y))
            .drawn()?;
    }

    let line = palette::BLACK.stroke_width(theme.axis_width());
    for &(start, _) in &phases {
        chart
            .draw_series(DashedLineSeries::new(
                [(start, 0.0), (start, rows as f64)],
                theme.px(14.0),
                theme.px(9.0),
                line,
            ))
            .drawn()?;
    }
    phase_strip.draw(&strip, &theme, margins.top)
}

/// The style of unit names for rows `row_px` high, and which rows are
/// named (every first, second, …).
fn name_style(theme: &Theme, row_px: f64) -> (TextStyle<'static>, usize) {
    let style = theme.tick_text();
    let em_px = f64::from(em(&style)).min(row_px * 0.8);
    let every = (MIN_NAME_PX / em_px.max(1e-9)).ceil().max(1.0) as usize;
    let em_px = em_px.max(MIN_NAME_PX.min(row_px * every as f64 * 0.8));
    let size = style.font.get_size() * em_px / f64::from(em(&style));
    (
        TextStyle {
            font: style.font.resize(size),
            ..style
        },
        every,
    )
}

/// What `columns` equal pixel columns over [0, `end_h`) show of `spans`:
/// each column the state that held most of its time (the first of equals),
/// nothing where the unit was not in service, and a run of columns in the
/// same state joined into one span.
fn dominant_runs(spans: &[Span], states: usize, end_h: f64, columns: usize) -> Vec<Span> {
    if columns == 0 || end_h <= 0.0 {
        return Vec::new();
    }
    let width_h = end_h / columns as f64;
    let mut held_h = vec![0.0; columns * states];
    let column_of = |t_h: f64| ((t_h / width_h) as usize).min(columns - 1);
    for span in spans {
        let (start_h, end_h) = (span.start_h.max(0.0), span.end_h.min(end_h));
        if end_h <= start_h {
            continue;
        }
        let (first, last) = (column_of(start_h), column_of(end_h));
        for column in first..=last {
            let from_h = start_h.max(column as f64 * width_h);
            let to_h = end_h.min((column + 1) as f64 * width_h);
            if to_h > from_h {
                held_h[column * states + span.state] += to_h - from_h;
            }
        }
    }
    let mut runs: Vec<Span> = Vec::new();
    for (column, held) in held_h.chunks_exact(states.max(1)).enumerate() {
        let mut best: Option<usize> = None;
        for (state, &h) in held.iter().enumerate() {
            if h > 0.0 && best.is_none_or(|b| h > held[b]) {
                best = Some(state);
            }
        }
        let Some(state) = best else {
            continue;
        };
        let start_h = column as f64 * width_h;
        let end_h = (column + 1) as f64 * width_h;
        match runs.last_mut() {
            Some(run) if run.state == state && (run.end_h - start_h).abs() < width_h * 1e-9 => {
                run.end_h = end_h;
            }
            _ => runs.push(Span {
                start_h,
                end_h,
                state,
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::{Span, dominant_runs};

    fn span(start_h: f64, end_h: f64, state: usize) -> Span {
        Span {
            start_h,
            end_h,
            state,
        }
    }

    #[test]
    fn a_pixel_column_shows_the_state_that_held_most_of_its_time() {
        // Ten columns of 10 h. Column 3 is lifting (0) for 6 h and weather
        // (1) for 4 h; columns 4–9 are weather, but for a 2 h failure (2)
        // in column 6.
        let spans = [
            span(0.0, 36.0, 0),
            span(36.0, 62.0, 1),
            span(62.0, 64.0, 2),
            span(64.0, 100.0, 1),
        ];
        let runs = dominant_runs(&spans, 3, 100.0, 10);
        assert_eq!(runs, vec![span(0.0, 40.0, 0), span(40.0, 100.0, 1)]);
    }

    #[test]
    fn a_unit_out_of_service_leaves_its_columns_empty() {
        // In service from 25 h (a phase) to 55 h (retired).
        let runs = dominant_runs(&[span(25.0, 55.0, 1)], 2, 100.0, 10);
        assert_eq!(runs, vec![span(20.0, 60.0, 1)]);
    }

    #[test]
    fn many_short_spans_make_at_most_one_run_per_column() {
        // 10,000 alternating spans of 0.5 h over 5,000 h in 100 columns.
        let spans: Vec<Span> = (0..10_000)
            .map(|i| span(0.5 * i as f64, 0.5 * (i + 1) as f64, i % 2))
            .collect();
        let runs = dominant_runs(&spans, 2, 5_000.0, 100);
        // Every column is split evenly: the first state of equals wins,
        // so the whole row is one run.
        assert_eq!(runs, vec![span(0.0, 5_000.0, 0)]);
    }
}
