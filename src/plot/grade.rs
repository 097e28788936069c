//! `grade_histogram`: how many shipments arrived at each total-REY grade,
//! all replications together.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Mesh, ValueAxis, draw_mesh, format_number, labels_that_fit, nice_step, x_label_area_height,
    y_label_area_width, y_labels_for_height,
};
use super::band::Margins;
use super::data::GradeData;
use super::theme::{Theme, draw_message, palette, text_width, titled};

/// Equal-width bins over the grades.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bins {
    pub start: f64,
    pub width: f64,
    pub counts: Vec<u64>,
}

impl Bins {
    /// About √n bins (5 to 40) of a nice width; `None` without a finite
    /// grade. A run's grades are binned as they are read ([`GradeRange`]).
    #[cfg(test)]
    pub fn of(values: &[f64]) -> Option<Bins> {
        let mut range = GradeRange::default();
        values.iter().for_each(|&v| range.add(v));
        let mut bins = range.bins()?;
        values.iter().for_each(|&v| bins.add(v));
        Some(bins)
    }

    /// Counts `v` in its bin; a value that is not finite is left out.
    pub fn add(&mut self, v: f64) {
        if v.is_finite() {
            let n = self.counts.len();
            let i = (((v - self.start) / self.width).floor() as usize).min(n - 1);
            self.counts[i] += 1;
        }
    }

    pub fn end(&self) -> f64 {
        self.start + self.width * self.counts.len() as f64
    }
}

/// The count and range of the finite grades, gathered in a first pass so
/// the bins can be filled in a second without holding the grades.
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

    /// Empty bins over the range ([`Bins::of`]); `None` without a grade.
    pub fn bins(self) -> Option<Bins> {
        if self.count == 0 {
            return None;
        }
        let (min, max) = (self.min, self.max);
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
        })
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
    fn no_finite_grade_makes_no_bins() {
        assert_eq!(Bins::of(&[]), None);
        assert_eq!(Bins::of(&[f64::NAN]), None);
    }
}
