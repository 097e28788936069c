//! `cost_breakdown`: each year's cost by part, stacked annual means:
//! vessels, fuel, capital, processing, transport, refining at home and
//! abroad, and the programme's lump sum.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::usd_unit;
use super::data::EconomicsData;
use super::stacked::{Layer, Stacked, draw_stacked};
use super::theme::palette;
use crate::experiment::metrics::{Metric, named};

/// Capital's colour: a mid grey, apart from the palette's hues.
const GREY: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);

/// The parts of a year's cost, bottom-up, with their legend labels and
/// fixed colours.
const PARTS: [(&Metric, &str, RGBColor); 8] = [
    (
        named("cost_vessels_usd"),
        "Vessels (day rates)",
        palette::BLUE,
    ),
    (named("cost_fuel_usd"), "Fuel", palette::ORANGE),
    (named("cost_capex_usd"), "Capital", GREY),
    (
        named("cost_processing_usd"),
        "Processing",
        palette::BLUISH_GREEN,
    ),
    (named("cost_transport_usd"), "Transport", palette::SKY_BLUE),
    (
        named("cost_refining_home_usd"),
        "Refining at home",
        palette::YELLOW,
    ),
    (
        named("cost_refining_abroad_usd"),
        "Refining abroad, with freight",
        palette::REDDISH_PURPLE,
    ),
    (
        named("cost_programme_usd"),
        "Programme",
        palette::VERMILLION,
    ),
];

pub(crate) fn draw_cost_breakdown<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &EconomicsData,
) -> anyhow::Result<()> {
    let layers: Vec<Layer> = PARTS
        .into_iter()
        .map(|(metric, label, colour)| Layer {
            label: label.into(),
            colour,
            values: data.means(metric),
        })
        .collect();
    draw_stacked(
        root,
        &Stacked {
            title: "Cost per year by part (means)",
            years: &data.years,
            layers: &layers,
            calendar: data.calendar,
            last_fraction: data.last_fraction,
            unit: usd_unit,
            y_title: |unit| format!("Cost ({unit}/yr)"),
            empty: "No cost in this run",
        },
    )
}
