//! Weather downtime by calendar month, per operation: the share of hours
//! with Hs at or above the operation's limit or under a typhoon alert.

use deepmud::experiment::run::{RunOptions, ShipmentRow, run};
use deepmud::model::weather::WorkLimit;
use deepmud::scenario::load_str;

use super::model::DETERMINISTIC;

/// The deterministic operation with Hs fixed at 3.0 m from January to
/// June and 1.5 m from July to December, against limits of 2.5 m (trip),
/// 3.5 m (lift) and 2.0 m (transfer); typhoons from July to October.
const SEASONS: [&str; 8] = [
    "scenario.replications=20",
    "weather.hs_median_m=[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]",
    "weather.typhoon_rate_per_month=[0, 0, 0, 0, 0, 0, 1.5, 1.5, 1.5, 1.5, 0, 0]",
    "mining.hs_limit_trip_m=2.5",
    "mining.hs_limit_lift_m=3.5",
    "mining.hs_limit_survival_m=6.0",
    "fleet.shuttles=1",
    "fleet.hs_limit_transfer_m=2.0",
];

#[test]
fn each_operation_loses_the_months_above_its_limit_and_every_typhoon_alert() {
    let overrides = SEASONS.map(String::from);
    let scenario = load_str(DETERMINISTIC, "seasons", &overrides).unwrap_or_else(|e| panic!("{e}"));
    let mut shipments: Vec<ShipmentRow> = Vec::new();
    let output = run(&scenario, &RunOptions::default(), &|| {}, &mut shipments).unwrap();
    let works: Vec<WorkLimit> = output.weather_months.iter().map(|w| w.work).collect();
    assert_eq!(works, WorkLimit::ALL);
    let mean = |work: WorkLimit, month: usize| {
        let summary = &output.weather_months[work as usize].months[month];
        assert_eq!(summary.n, 20, "one sample per replication-year");
        summary.mean
    };
    for month in 0..12 {
        let (trip, lift, transfer) = (
            mean(WorkLimit::Trip, month),
            mean(WorkLimit::Lift, month),
            mean(WorkLimit::Transfer, month),
        );
        if month < 6 {
            // 3.0 m is above the trip and transfer limits, below the lift
            // limit; no typhoons.
            assert_eq!((trip, lift, transfer), (1.0, 0.0, 1.0), "month {month}");
        } else {
            // 1.5 m binds no limit: each loses only the typhoon alert
            // hours, the same for all three.
            assert_eq!(trip, lift, "month {month}");
            assert_eq!(transfer, lift, "month {month}");
        }
    }
    // 1.5 typhoons a month, each alerting for 72 h of warning and 24–72 h
    // of passage: several percent of July's hours on average.
    let july = mean(WorkLimit::Lift, 6);
    assert!(july > 0.05 && july < 0.5, "July alert share {july}");
    assert_eq!(mean(WorkLimit::Lift, 11), 0.0, "no typhoons in December");
}
