//! `grade_histogram`: how many shipments arrived at each total-REY grade,
//! all replications together.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, draw_mesh, format_number, labels_that_fit, nice_step, x_label_area_height,
    y_label_area_width, y_labels_for_height,
};
use super::band::Margins;
use super::data::GradeData;
use super::theme::{Theme, draw_message, em, palette, text_width, titled};

/// The share of shipments a histogram may leave out at each end, so that
/// a few extreme grades do not squeeze the rest into one bar.
const TAIL_SHARE: f64 = 0.001;

/// Equal-width bins over the grades from `low` to `high`, and what lies
/// outside them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bins {
    pub start: f64,
    pub width: f64,
    pub counts: Vec<u64>,
    low: f64,
    high: f64,
    pub below: Outside,
    pub above: Outside,
}

/// Grades left out of the bins at one end: how many, and the most extreme.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Outside {
    pub count: u64,
    pub extreme: f64,
}

impl Outside {
    fn add(&mut self, v: f64, more_extreme: fn(f64, f64) -> f64) {
        self.extreme = if self.count == 0 {
            v
        } else {
            more_extreme(self.extreme, v)
        };
        self.count += 1;
    }
}

impl Bins {
    /// About √n bins (5 to 40) of a nice width over all but the 0.1%
    /// highest and 0.1% lowest grades; `None` without a finite grade. A
    /// run's grades are binned as they are read ([`GradeRange`], [`Tails`]).
    #[cfg(test)]
    pub fn of(values: &[f64]) -> Option<Bins> {
        let mut range = GradeRange::default();
        values.iter().for_each(|&v| range.add(v));
        let mut tails = range.tails();
        values.iter().for_each(|&v| tails.add(v));
        let mut bins = range.bins(&tails)?;
        values.iter().for_each(|&v| bins.add(v));
        Some(bins)
    }

    /// Counts `v` in its bin, or as outside; a value that is not finite is
    /// left out.
    pub fn add(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        if v < self.low {
            self.below.add(v, f64::min);
        } else if v > self.high {
            self.above.add(v, f64::max);
        } else {
            let n = self.counts.len();
            let i = (((v - self.start) / self.width).floor() as usize).min(n - 1);
            self.counts[i] += 1;
        }
    }

    pub fn end(&self) -> f64 {
        self.start + self.width * self.counts.len() as f64
    }

    /// What the chart leaves out, a line per end; empty when it draws
    /// every grade.
    pub fn left_out(&self) -> Vec<String> {
        let shipments = |n: u64| match n {
            1 => "1 shipment".to_string(),
            n => format!("{} shipments", format_number(n as f64, 0)),
        };
        let ppm = |v: f64| format_number(v, 0);
        let mut lines = Vec::new();
        if self.below.count > 0 {
            lines.push(format!(
                "Not drawn: {} below {} ppm (lowest {})",
                shipments(self.below.count),
                ppm(self.low),
                ppm(self.below.extreme)
            ));
        }
        if self.above.count > 0 {
            lines.push(format!(
                "Not drawn: {} above {} ppm (highest {})",
                shipments(self.above.count),
                ppm(self.high),
                ppm(self.above.extreme)
            ));
        }
        lines
    }
}

/// The count and range of the finite grades, gathered in a first pass so
/// the later passes need not hold the grades.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct GradeRange {
    count: usize,
    min: f64,
    max: f64,
}

impl GradeRange {
    pub fn add(&mut self, v: f64) {
        if v.is_finite() {
            if self.count == 0 {
                (self.min, self.max) = (v, v);
            }
            self.min = self.min.min(v);
            self.max = self.max.max(v);
            self.count += 1;
        }
    }

    /// A second pass that finds where the bins end: past the
    /// ⌊0.1% · n⌋ lowest and highest grades (none below 1,000 grades).
    pub fn tails(&self) -> Tails {
        Tails {
            left_out: (self.count as f64 * TAIL_SHARE).floor() as usize,
            lowest: BinaryHeap::new(),
            highest: BinaryHeap::new(),
        }
    }

    /// Empty bins over the range `tails` found; `None` without a grade.
    pub fn bins(self, tails: &Tails) -> Option<Bins> {
        if self.count == 0 {
            return None;
        }
        let (min, max) = tails.ends().unwrap_or((self.min, self.max));
        let target = ((self.count as f64).sqrt().ceil() as usize).clamp(5, 40);
        let span = max - min;
        let width = if span > 0.0 {
            nice_step(span / target as f64)
        } else {
            nice_step((max.abs() * 0.01).max(1e-6))
        };
        let start = (min / width).floor() * width;
        let n = ((max - start) / width).floor() as usize + 1;
        Some(Bins {
            start,
            width,
            counts: vec![0; n],
            low: min,
            high: max,
            below: Outside::default(),
            above: Outside::default(),
        })
    }
}

/// A grade ordered by [`f64::total_cmp`], for the heaps of [`Tails`].
#[derive(Clone, Copy, Debug, PartialEq)]
struct Grade(f64);

impl Eq for Grade {}

impl PartialOrd for Grade {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Grade {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The `left_out + 1` lowest and highest grades seen: the innermost of
/// each is where the bins end.
pub(crate) struct Tails {
    left_out: usize,
    lowest: BinaryHeap<Grade>,
    highest: BinaryHeap<Reverse<Grade>>,
}

impl Tails {
    pub fn add(&mut self, v: f64) {
        if self.left_out == 0 || !v.is_finite() {
            return;
        }
        let keep = self.left_out + 1;
        self.lowest.push(Grade(v));
        if self.lowest.len() > keep {
            self.lowest.pop();
        }
        self.highest.push(Reverse(Grade(v)));
        if self.highest.len() > keep {
            self.highest.pop();
        }
    }

    /// The lowest and highest grade drawn; `None` when every grade is.
    fn ends(&self) -> Option<(f64, f64)> {
        if self.left_out == 0 {
            return None;
        }
        let low = self.lowest.peek()?.0;
        let high = self.highest.peek()?.0.0;
        Some((low, high))
    }
}

pub(crate) fn draw_grade_histogram<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &GradeData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Shipment grade distribution")?;
    let Some(bins) = data.bins.clone() else {
        return draw_message(&body, &theme, "No shipments in this run");
    };
    let body = noted(&body, &theme, &bins.left_out())?;

    let margins = Margins::standard(&theme);
    let (body_w, body_h) = body.dim_in_pixel();
    let plot_h = body_h as i32 - margins.top - margins.bottom - x_label_area_height(&theme);
    let max_count = bins.counts.iter().copied().max().unwrap_or(0) as f64;
    let y = ValueAxis::counts(max_count.max(1.0), y_labels_for_height(&theme, plot_h));
    let y_label_width = y_label_area_width(&body, &theme, &y.labels())?;

    // A lone bin gets room either side, so it reads as a bar.
    let (lo, hi) = if bins.counts.len() == 1 {
        (bins.start - 2.0 * bins.width, bins.end() + 2.0 * bins.width)
    } else {
        (bins.start, bins.end())
    };
    let mut x = ValueAxis::within(lo, hi, 12);
    let mut widest = 0;
    for _ in 0..2 {
        widest = 0;
        for label in x.labels() {
            widest = widest.max(text_width(&body, &label, &theme.tick_text())?);
        }
        let right = margins.right.max(widest / 2 + theme.px(4.0));
        let plot_w = body_w as i32 - margins.left - right - y_label_width;
        x = ValueAxis::within(lo, hi, labels_that_fit(plot_w, widest).min(12));
    }
    // The last label may sit on the right end of the axis: leave it room.
    let margins = Margins {
        right: margins.right.max(widest / 2 + theme.px(4.0)),
        ..margins
    };

    let mut chart = margins.chart(
        &body,
        x_label_area_height(&theme),
        y_label_width,
        x.range(),
        y.range(),
    )?;
    let x_format = |v: &f64| x.format(*v);
    let y_format = |v: &f64| y.format(*v);
    let replications = match data.replications {
        1 => "1 replication".to_string(),
        n => format!("{} replications", format_number(n as f64, 0)),
    };
    let y_title = format!("Shipments (count, {replications})");
    draw_mesh(
        &mut chart,
        &theme,
        &Mesh {
            x_labels: x.n_labels(),
            y_labels: y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: Some("Shipment grade, total REY (ppm)"),
            y_title: &y_title,
            y_label_width,
            x_grid: false,
        },
    )?;

    let bars = bins.counts.iter().enumerate().filter(|(_, c)| **c > 0);
    let fill = palette::RANGE.filled();
    let edge = palette::MEDIAN.stroke_width(theme.px(2.0) as u32);
    for (i, &count) in bars {
        let left = bins.start + i as f64 * bins.width;
        let corners = [(left, 0.0), (left + bins.width, count as f64)];
        chart
            .draw_series([Rectangle::new(corners, fill), Rectangle::new(corners, edge)])
            .drawn()?;
    }
    Ok(())
}

/// Writes `lines` centred at the top of `area`, one under another;
/// returns the area below them (all of it without lines).
fn noted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    lines: &[String],
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    if lines.is_empty() {
        return Ok(area.clone());
    }
    let style = theme.legend_text();
    let (width, _) = area.dim_in_pixel();
    let line_h = em(&style) + theme.gap() / 2;
    for (i, line) in lines.iter().enumerate() {
        area.draw_text(
            line,
            &style.pos(Pos::new(HPos::Center, VPos::Top)),
            (width as i32 / 2, i as i32 * line_h),
        )
        .drawn()?;
    }
    Ok(area
        .split_vertically(lines.len() as i32 * line_h + theme.gap() / 2)
        .1)
}

#[cfg(test)]
mod tests {
    use super::Bins;

    #[test]
    fn every_finite_grade_falls_in_exactly_one_bin() {
        let grades: Vec<f64> = (0..100).map(|i| 4000.0 + 13.0 * f64::from(i)).collect();
        let mut with_missing = grades.clone();
        with_missing.push(f64::NAN);
        let bins = Bins::of(&with_missing).expect("grades are finite");
        assert_eq!(bins.counts.iter().sum::<u64>(), 100);
        assert!(bins.start <= 4000.0 && bins.end() > 4000.0 + 13.0 * 99.0);
        // √100 = 10 bins wanted over a 1,287 ppm span: the nice width is 200.
        assert_eq!(bins.width, 200.0);
    }

    #[test]
    fn equal_grades_make_one_bin() {
        let bins = Bins::of(&[5000.0; 7]).expect("grades are finite");
        assert_eq!(bins.counts, vec![7]);
    }

    #[test]
    fn a_few_extreme_grades_are_left_out_and_named() {
        // 1,999 grades on [1,000, 3,000) and one at 50,000: ⌊0.1% · 2,000⌋
        // = 2 grades are left out at each end, so the bins end at the
        // third highest grade, not at 50,000.
        let mut grades: Vec<f64> = (0..1999).map(|i| 1000.0 + f64::from(i)).collect();
        grades.push(50_000.0);
        let bins = Bins::of(&grades).expect("grades are finite");
        assert_eq!(bins.below.count, 2);
        assert_eq!(bins.below.extreme, 1000.0);
        assert_eq!(bins.above.count, 2);
        assert_eq!(bins.above.extreme, 50_000.0);
        assert_eq!(bins.counts.iter().sum::<u64>(), 1996);
        assert!(bins.end() < 3_100.0, "{}", bins.end());
        assert_eq!(
            bins.left_out(),
            [
                "Not drawn: 2 shipments below 1,002 ppm (lowest 1,000)",
                "Not drawn: 2 shipments above 2,997 ppm (highest 50,000)"
            ]
        );
    }

    #[test]
    fn under_a_thousand_grades_every_one_is_drawn() {
        let mut grades: Vec<f64> = (0..998).map(f64::from).collect();
        grades.push(1e6);
        let bins = Bins::of(&grades).expect("grades are finite");
        assert_eq!(bins.counts.iter().sum::<u64>(), 999);
        assert!(bins.left_out().is_empty());
    }

    #[test]
    fn no_finite_grade_makes_no_bins() {
        assert_eq!(Bins::of(&[]), None);
        assert_eq!(Bins::of(&[f64::NAN]), None);
    }
}
