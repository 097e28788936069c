//! `refining`: where the REO produced each year is refined, as stacked
//! annual means: at home, exported because home capacity is full, and
//! exported because home refining cannot reach the purity it needs.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::tonnes_unit;
use super::data::EconomicsData;
use super::stacked::{Layer, Stacked, draw_stacked};
use super::theme::palette;
use crate::experiment::metrics::{Metric, named};

const REFINED_HOME: &Metric = named("reo_refined_home_t");
const EXPORTED: &Metric = named("reo_exported_t");
const EXPORTED_PURITY: &Metric = named("reo_exported_purity_t");

pub(crate) fn draw_refining<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &EconomicsData,
) -> anyhow::Result<()> {
    let purity = data.means(EXPORTED_PURITY);
    // The mean of a difference is the difference of the means.
    let over_capacity = data
        .means(EXPORTED)
        .iter()
        .zip(&purity)
        .map(|(exported, purity)| (exported - purity).max(0.0))
        .collect();
    let layers = [
        Layer {
            label: "Refined at home".into(),
            colour: palette::BLUISH_GREEN,
            values: data.means(REFINED_HOME),
        },
        Layer {
            label: "Exported: over home capacity".into(),
            colour: palette::ORANGE,
            values: over_capacity,
        },
        Layer {
            label: "Exported: purity above home grade".into(),
            colour: palette::REDDISH_PURPLE,
            values: purity,
        },
    ];
    draw_stacked(
        root,
        &Stacked {
            title: "REO refined at home and abroad (means)",
            years: &data.years,
            layers: &layers,
            calendar: data.calendar,
            last_fraction: data.last_fraction,
            unit: tonnes_unit,
            y_title: |unit| format!("REO ({unit}/yr)"),
            empty: "No REO produced in this run",
        },
    )
}
