//! Specifications of `draw_all`, on small CSV fixtures.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::{Format, draw_all};

/// Every chart, in the order `draw_all` writes them.
const STEMS: [&str; 5] = [
    "throughput",
    "cumulative_reo",
    "time_budget",
    "weather_months",
    "grade_histogram",
];

const ANNUAL_HEADER: &str = "year,metric,unit,n,mean,ci95_half_width,p10,p50,p90\n";

/// `weather_monthly.csv` with the trip, lift and transfer columns, each
/// month's statistics (n, mean, CI, P10, P50, P90) of each from `cells`.
fn weather_csv(cells: impl Fn(u32, usize) -> String) -> String {
    let mut text = String::from("month");
    for work in ["trip", "lift", "transfer"] {
        for statistic in ["n", "mean", "ci95_half_width", "p10", "p50", "p90"] {
            write!(text, ",{work}_{statistic}").unwrap();
        }
    }
    text.push('\n');
    for month in 1..=12 {
        write!(text, "{month}").unwrap();
        for work in 0..3 {
            write!(text, ",{}", cells(month, work)).unwrap();
        }
        text.push('\n');
    }
    text
}

/// A ten-year run ramping up, with a `NaN` in the middle of one metric.
fn write_run(dir: &Path) {
    let mut annual = String::from(ANNUAL_HEADER);
    let mut cumulative = [0.0; 3];
    for year in 1..=10 {
        let ramp = f64::from(year.min(6));
        let reo = [800.0 * ramp, 1000.0 * ramp, 1150.0 * ramp];
        let dry = [2.0e5 * ramp, 2.5e5 * ramp, 2.9e5 * ramp];
        for (c, r) in cumulative.iter_mut().zip(reo) {
            *c += r;
        }
        let rows = [
            ("reo_produced_t", "t", reo),
            ("mud_delivered_dry_t", "t", dry),
            ("mud_delivered_wet_t", "t", dry.map(|d| d * 3.0)),
            ("reo_cumulative_t", "t", cumulative),
            ("delivered_grade_rey_ppm", "ppm", [4800.0, 5000.0, 5200.0]),
        ];
        for (metric, unit, [p10, p50, p90]) in rows {
            let p50 = if year == 4 && metric == "reo_produced_t" {
                f64::NAN
            } else {
                p50
            };
            writeln!(
                annual,
                "{year},{metric},{unit},20,{p50},1,{p10},{p50},{p90}"
            )
            .unwrap();
        }
    }
    fs::write(dir.join("annual.csv"), annual).unwrap();

    let mut budget = String::from("unit_type,year,state,hours,share\n");
    for year in 1..=10 {
        let shares = [
            ("transit", 0.05),
            ("tripping_in", 0.04),
            ("tripping_out", 0.04),
            ("lifting", 0.55),
            ("blocked", 0.06),
            ("weather", 0.12),
            ("typhoon", 0.03),
            ("failure", 0.05),
            ("maintenance", 0.06),
            ("crew_change", 0.0),
        ];
        for (state, share) in shares {
            let hours = share * 8760.0;
            writeln!(budget, "mining_system,{year},{state},{hours},{share}").unwrap();
            writeln!(budget, "shuttle,{year},{state},{hours},{share}").unwrap();
        }
    }
    fs::write(dir.join("time_budget.csv"), budget).unwrap();

    let mut shipments = String::from("replication,time_h,vessel,wet_t,dry_t,grade_rey_ppm,reo_t\n");
    for i in 0..200 {
        let grade = 4500.0 + f64::from((i * 37) % 1000);
        let time = 100.0 * f64::from(i);
        writeln!(
            shipments,
            "{},{time},shuttle_1,30000,10000,{grade},{}",
            i % 4,
            grade * 0.01
        )
        .unwrap();
    }
    fs::write(dir.join("shipments.csv"), shipments).unwrap();

    let weather = weather_csv(|month, work| {
        let centre = if (6..=9).contains(&month) { 0.3 } else { 0.1 } * (1.0 + work as f64);
        format!(
            "200,{centre},0.01,{},{centre},{}",
            centre * 0.5,
            centre * 1.6
        )
    });
    fs::write(dir.join("weather_monthly.csv"), weather).unwrap();
}

fn write_phases(dir: &Path) {
    fs::write(
        dir.join("phases.csv"),
        "start_year,name\n1,Pilot\n3.5,Demonstration\n4,Commercial scale-up\n9,Full production\n",
    )
    .unwrap();
}

/// A run that produced nothing: every statistic zero or `NaN`, no shipment.
fn write_empty_run(dir: &Path) {
    let mut annual = String::from(ANNUAL_HEADER);
    for year in 1..=5 {
        for metric in ["reo_produced_t", "mud_delivered_dry_t", "reo_cumulative_t"] {
            writeln!(annual, "{year},{metric},t,20,0,0,0,0,0").unwrap();
        }
        writeln!(
            annual,
            "{year},delivered_grade_rey_ppm,ppm,20,NaN,NaN,NaN,NaN,NaN"
        )
        .unwrap();
    }
    fs::write(dir.join("annual.csv"), annual).unwrap();
    let mut budget = String::from("unit_type,year,state,hours,share\n");
    for year in 1..=5 {
        writeln!(budget, "mining_system,{year},lifting,0,NaN").unwrap();
    }
    fs::write(dir.join("time_budget.csv"), budget).unwrap();
    fs::write(
        dir.join("shipments.csv"),
        "replication,time_h,vessel,wet_t,dry_t,grade_rey_ppm,reo_t\n",
    )
    .unwrap();
    let weather = weather_csv(|_, _| "0,,,,,".to_string());
    fs::write(dir.join("weather_monthly.csv"), weather).unwrap();
}

/// Width and height from a PNG's signature and IHDR chunk.
pub(super) fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "PNG too short: {} bytes", bytes.len());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is IHDR");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// Width and height attributes of an SVG document's root element.
pub(super) fn svg_size(text: &str) -> (u32, u32) {
    let start = text.find("<svg").expect("an <svg element");
    let tag = &text[start..start + text[start..].find('>').expect("a closed <svg tag")];
    let attribute = |name: &str| -> u32 {
        let key = format!(" {name}=\"");
        let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
        let end = at + tag[at..].find('"').unwrap();
        tag[at..end].parse().unwrap()
    };
    assert!(
        text.trim_end().ends_with("</svg>"),
        "SVG document is closed"
    );
    (attribute("width"), attribute("height"))
}

fn expected_files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    STEMS
        .iter()
        .flat_map(|stem| {
            extensions
                .iter()
                .map(move |ext| dir.join(format!("{stem}.{ext}")))
        })
        .collect()
}

fn assert_charts(dir: &Path, written: &[PathBuf], size: (u32, u32)) {
    assert_chart_files(dir, written, &expected_files(dir, &["png", "svg"]), size);
}

/// `written` is `expected`, each file an image of `size`, and no temporary
/// file is left in `dir`.
fn assert_chart_files(dir: &Path, written: &[PathBuf], expected: &[PathBuf], size: (u32, u32)) {
    assert_eq!(written, expected);
    for path in written {
        let bytes = fs::read(path).unwrap();
        assert!(!bytes.is_empty(), "{} is empty", path.display());
        match path.extension().and_then(|e| e.to_str()) {
            Some("png") => assert_eq!(png_size(&bytes), size, "{}", path.display()),
            _ => assert_eq!(
                svg_size(std::str::from_utf8(&bytes).unwrap()),
                size,
                "{}",
                path.display()
            ),
        }
    }
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn every_chart_is_written_as_png_and_svg_of_the_requested_size() {
    for size in [(1200, 800), (600, 400)] {
        let dir = tempfile::tempdir().unwrap();
        write_run(dir.path());
        write_phases(dir.path());
        let written = draw_all(dir.path(), Format::Both, size.0, size.1).unwrap();
        assert_charts(dir.path(), &written, size);
    }
}

#[test]
fn one_format_writes_only_that_format() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    let png = draw_all(dir.path(), Format::Png, 800, 600).unwrap();
    assert_eq!(png, expected_files(dir.path(), &["png"]));
    let svg = draw_all(dir.path(), Format::Svg, 800, 600).unwrap();
    assert_eq!(svg, expected_files(dir.path(), &["svg"]));
}

#[test]
fn a_run_without_output_still_writes_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    write_empty_run(dir.path());
    let written = draw_all(dir.path(), Format::Both, 1200, 800).unwrap();
    assert_charts(dir.path(), &written, (1200, 800));
    let grades = fs::read_to_string(dir.path().join("grade_histogram.svg")).unwrap();
    assert!(grades.contains("No shipments in this run"));
}

#[test]
fn phases_csv_is_optional() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    assert!(!dir.path().join("phases.csv").exists());
    let written = draw_all(dir.path(), Format::Both, 1200, 800).unwrap();
    assert_charts(dir.path(), &written, (1200, 800));
}

#[test]
fn phase_names_are_drawn_on_the_throughput_chart() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_phases(dir.path());
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = fs::read_to_string(dir.path().join("throughput.svg")).unwrap();
    for name in [
        "Pilot",
        "Demonstration",
        "Commercial scale-up",
        "Full production",
    ] {
        assert!(svg.contains(name), "{name} missing");
    }
}

#[test]
fn a_missing_annual_csv_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    fs::remove_file(dir.path().join("annual.csv")).unwrap();
    let error = draw_all(dir.path(), Format::Png, 1200, 800).unwrap_err();
    assert!(format!("{error:#}").contains("annual.csv"), "{error:#}");
}

#[test]
fn a_missing_shipments_csv_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    fs::remove_file(dir.path().join("shipments.csv")).unwrap();
    let error = draw_all(dir.path(), Format::Svg, 1200, 800).unwrap_err();
    assert!(format!("{error:#}").contains("shipments.csv"), "{error:#}");
}

#[test]
fn charts_draw_at_any_size_from_600_by_400_up_and_any_aspect() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_phases(dir.path());
    for size in [(2400, 1600), (1600, 400), (600, 900), (801, 533)] {
        let written = draw_all(dir.path(), Format::Both, size.0, size.1).unwrap();
        assert_charts(dir.path(), &written, size);
    }
}

/// A one-year run of a scenario with many phases, long names, unknown
/// time-budget states and no weather downtime.
fn write_odd_run(dir: &Path) {
    let mut annual = String::from(ANNUAL_HEADER);
    for metric in ["reo_produced_t", "mud_delivered_dry_t", "reo_cumulative_t"] {
        writeln!(annual, "1,{metric},t,3,2.5e7,1e6,2e7,2.5e7,3e7").unwrap();
    }
    fs::write(dir.join("annual.csv"), annual).unwrap();
    let mut budget = String::from(
        "unit_type,year,state,hours,share
",
    );
    for i in 0..20 {
        writeln!(budget, "mining_system,1,state_{i},438,0.05").unwrap();
    }
    fs::write(dir.join("time_budget.csv"), budget).unwrap();
    fs::write(
        dir.join("shipments.csv"),
        "replication,time_h,vessel,wet_t,dry_t,grade_rey_ppm,reo_t
0,10,mining_system_1,1,1,5000,0.005
",
    )
    .unwrap();
    let weather = weather_csv(|_, _| "3,0,0,0,0,0".to_string());
    fs::write(dir.join("weather_monthly.csv"), weather).unwrap();
    let mut phases = String::from(
        "start_year,name
",
    );
    for i in 0..8 {
        writeln!(
            phases,
            "{},Phase number {i} with a long name",
            0.6 + 0.1 * f64::from(i)
        )
        .unwrap();
    }
    fs::write(dir.join("phases.csv"), phases).unwrap();
}

#[test]
fn a_one_year_run_with_crowded_phases_and_unknown_states_draws_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    write_odd_run(dir.path());
    for size in [(1200, 800), (600, 400)] {
        let written = draw_all(dir.path(), Format::Both, size.0, size.1).unwrap();
        assert_charts(dir.path(), &written, size);
    }
    let weather = fs::read_to_string(dir.path().join("weather_months.svg")).unwrap();
    assert!(weather.contains("No weather downtime in this run"));
}

#[test]
fn the_weather_chart_has_a_series_per_operation_with_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = fs::read_to_string(dir.path().join("weather_months.svg")).unwrap();
    for label in ["Tripping", "Lifting", "Ship-to-ship transfer"] {
        assert!(svg.contains(label), "{label} missing from the legend");
    }
}

#[test]
fn a_weather_file_without_operation_columns_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    fs::write(
        dir.path().join("weather_monthly.csv"),
        "month,n,mean\n1,3,0.1\n",
    )
    .unwrap();
    let error = draw_all(dir.path(), Format::Svg, 1200, 800).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("weather_monthly.csv"), "{message}");
    assert!(message.contains("_p50"), "{message}");
}

/// A trace of two systems (the second added by a phase at year 3.5, the
/// first retired at year 4) and ten shuttles over five years.
fn write_trace(dir: &Path) {
    let mut trace = String::from("time_h,unit,from_state,to_state,cause\n");
    trace.push_str("0,system 1,new,idle,start\n0,system 1,idle,transit,start\n");
    for shuttle in 1..=10 {
        writeln!(trace, "0,shuttle {shuttle},new,idle,start").unwrap();
        writeln!(trace, "0,shuttle {shuttle},idle,transit,timed").unwrap();
    }
    let mut t = 10.0;
    while t < 43_800.0 {
        for (from, to) in [
            ("transit", "lifting"),
            ("lifting", "weather"),
            ("weather", "transit"),
        ] {
            writeln!(trace, "{t},system 1,{from},{to},timed").unwrap();
            writeln!(trace, "{t},shuttle 3,{from},{to},sea_state").unwrap();
            t += 7.0;
        }
    }
    writeln!(trace, "21900,system 2,new,idle,phase").unwrap();
    writeln!(trace, "21900,system 2,idle,lifting,phase").unwrap();
    writeln!(trace, "43800,system 2,lifting,horizon,horizon").unwrap();
    for shuttle in 1..=10 {
        writeln!(trace, "43800,shuttle {shuttle},transit,horizon,horizon").unwrap();
    }
    writeln!(trace, "43800,system 1,transit,horizon,horizon").unwrap();
    fs::write(dir.join("trace.csv"), trace).unwrap();
}

#[test]
fn a_trace_csv_adds_the_timeline_with_every_vessel_and_phase() {
    for size in [(1200, 800), (600, 400)] {
        let dir = tempfile::tempdir().unwrap();
        write_run(dir.path());
        write_phases(dir.path());
        write_trace(dir.path());
        let written = draw_all(dir.path(), Format::Both, size.0, size.1).unwrap();
        let mut expected = expected_files(dir.path(), &["png", "svg"]);
        expected.extend(["png", "svg"].map(|ext| dir.path().join(format!("timeline.{ext}"))));
        assert_eq!(written, expected);
        let png = fs::read(dir.path().join("timeline.png")).unwrap();
        assert_eq!(png_size(&png), size);
        let svg = fs::read_to_string(dir.path().join("timeline.svg")).unwrap();
        assert_eq!(svg_size(&svg), size);
        for name in [
            "system 1",
            "system 2",
            "shuttle 10",
            "Lifting",
            "Demonstration",
        ] {
            assert!(svg.contains(name), "{name} missing at {size:?}");
        }
    }
}

/// The economics charts, drawn for a run with money metrics.
const MONEY_STEMS: [&str; 4] = ["cost_per_kg", "cash_flow", "refining", "cost_breakdown"];

/// Break-even KPIs of a fixture's `summary.json`: (P50 year, share).
type BreakevenKpis = Option<(f64, f64)>;

/// Adds ten years of money rows to the run in `dir` (transport zero
/// throughout, the programme's spend in year 1 only, no cost per kg in
/// year 4) and, with `summary`, a `summary.json` starting in 2028 with
/// `breakeven`.
fn write_money(dir: &Path, summary: bool, breakeven: BreakevenKpis) {
    let mut annual = fs::read_to_string(dir.join("annual.csv")).unwrap();
    for year in 1..=10 {
        let y = f64::from(year);
        let cost_per_kg = if year == 1 {
            40_000.0
        } else {
            400.0 + 10.0 * y
        };
        let cash = -2.0e9 + 3.5e8 * (y - 1.0);
        let programme = if year == 1 { 2.5e8 } else { 0.0 };
        let rows: [(&str, &str, [f64; 3]); 14] = [
            ("reo_refined_home_t", "t", [900.0, 1000.0, 1000.0]),
            ("reo_exported_t", "t", [150.0, 300.0, 450.0]),
            ("reo_exported_purity_t", "t", [90.0, 100.0, 110.0]),
            (
                "cost_per_kg",
                "USD/kg",
                [0.6, 1.0, 1.5].map(|f| f * cost_per_kg),
            ),
            ("price_usd_per_kg", "USD/kg", [30.0, 40.0, 55.0]),
            (
                "cumulative_cash_flow_usd",
                "USD",
                [cash - 4e8, cash, cash + 4e8],
            ),
            ("cost_vessels_usd", "USD", [2.0e8; 3]),
            ("cost_fuel_usd", "USD", [5.0e7; 3]),
            ("cost_capex_usd", "USD", [1.0e8; 3]),
            ("cost_processing_usd", "USD", [3.0e7; 3]),
            ("cost_transport_usd", "USD", [0.0; 3]),
            ("cost_refining_home_usd", "USD", [1.0e7; 3]),
            ("cost_refining_abroad_usd", "USD", [5.0e6; 3]),
            ("cost_programme_usd", "USD", [programme; 3]),
        ];
        for (metric, unit, [p10, p50, p90]) in rows {
            if year == 4 && metric == "cost_per_kg" {
                writeln!(annual, "{year},{metric},{unit},0,,,,,").unwrap();
            } else {
                writeln!(
                    annual,
                    "{year},{metric},{unit},20,{p50},1,{p10},{p50},{p90}"
                )
                .unwrap();
            }
        }
    }
    fs::write(dir.join("annual.csv"), annual).unwrap();
    if summary {
        let (year, share) = match breakeven {
            Some((year, share)) => (year.to_string(), share),
            None => ("null".to_string(), 0.0),
        };
        fs::write(
            dir.join("summary.json"),
            format!(
                r#"{{"scenario": {{"scenario": {{"name": "fixture"}}, "economics": {{"start_year": 2028}}}},
                  "kpis": {{"breakeven_year": {{"n": 8, "mean": {year}, "p50": {year}}},
                           "breakeven_share": {{"n": 20, "mean": {share}, "p50": 0}}}}}}"#
            ),
        )
        .unwrap();
    }
}

fn read_svg(dir: &Path, stem: &str) -> String {
    fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap()
}

/// Whether `svg` has a text element reading exactly `text`.
fn has_text(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

#[test]
fn a_run_with_money_metrics_adds_the_four_economics_charts_without_nan() {
    for size in [(1200, 800), (600, 400)] {
        let dir = tempfile::tempdir().unwrap();
        write_run(dir.path());
        write_phases(dir.path());
        write_money(dir.path(), true, Some((2033.0, 0.4)));
        let written = draw_all(dir.path(), Format::Both, size.0, size.1).unwrap();
        let mut expected = expected_files(dir.path(), &["png", "svg"]);
        for stem in MONEY_STEMS {
            expected.extend(["png", "svg"].map(|ext| dir.path().join(format!("{stem}.{ext}"))));
        }
        assert_chart_files(dir.path(), &written, &expected, size);
        for stem in MONEY_STEMS {
            let svg = read_svg(dir.path(), stem);
            assert!(!svg.contains("NaN"), "{stem}.svg has a NaN at {size:?}");
        }
    }
}

#[test]
fn a_run_without_money_metrics_draws_no_economics_chart() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    draw_all(dir.path(), Format::Both, 1200, 800).unwrap();
    for stem in MONEY_STEMS {
        for ext in ["png", "svg"] {
            assert!(
                !dir.path().join(format!("{stem}.{ext}")).exists(),
                "{stem}.{ext}"
            );
        }
    }
}

#[test]
fn cost_per_kg_is_drawn_on_a_log_scale_against_the_market_price() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_phases(dir.path());
    write_money(dir.path(), true, None);
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cost_per_kg");
    for text in [
        "Cost per kg REO against the market price",
        "USD per kg REO (log scale)",
        "Cost per kg, median",
        "Market price, P10–P90",
        "Phase start",
        "Demonstration",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
    // Decades on the y axis, calendar years on the x axis.
    for label in ["100", "1,000", "10,000", "100,000", "2030", "Year"] {
        assert!(has_text(&svg, label), "{label} missing");
    }
}

#[test]
fn without_summary_json_the_economics_charts_count_simulated_years() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), false, None);
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    for stem in MONEY_STEMS {
        let svg = read_svg(dir.path(), stem);
        assert!(has_text(&svg, "Simulated year"), "{stem}");
        assert!(!has_text(&svg, "2030"), "{stem}");
    }
    let cash = read_svg(dir.path(), "cash_flow");
    assert!(!cash.contains("Break-even") && !cash.contains("no break-even"));
}

#[test]
fn the_cash_flow_chart_marks_the_median_break_even_year() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, Some((2033.0, 0.6)));
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cash_flow");
    for text in [
        "Cumulative cash flow",
        "Cumulative (USD million)",
        "Break-even, median: 2033 (60% of replications break even)",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
}

/// Under half breaking even, the median curve need not reach zero: the
/// legend says the year is the median of those that break even.
#[test]
fn with_under_half_breaking_even_the_legend_says_whose_median_year_it_is() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, Some((2041.0, 0.32)));
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cash_flow");
    assert!(
        svg.contains("Median break-even year of the 32% that break even: 2041"),
        "label missing"
    );
    assert!(!svg.contains("Break-even, median"));
    assert_eq!(
        super::cash_flow::breakeven_label(2041.0, 0.5),
        "Break-even, median: 2041 (50% of replications break even)"
    );
}

#[test]
fn with_no_break_even_the_cash_flow_legend_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cash_flow");
    assert!(svg.contains("no break-even within the horizon"));
    assert!(!svg.contains("Break-even, median"));
}

#[test]
fn refining_stacks_home_and_the_two_export_routes() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "refining");
    for text in [
        "REO refined at home and abroad (means)",
        "Refined at home",
        "Exported: over home capacity",
        "Exported: purity above home grade",
        "REO (t/yr)",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
}

#[test]
fn the_cost_breakdown_leaves_parts_that_are_always_zero_out_of_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cost_breakdown");
    for text in [
        "Cost per year by part (means)",
        "Cost (USD million/yr)",
        "Vessels (day rates)",
        "Fuel",
        "Capital",
        "Processing",
        "Refining at home",
        "Refining abroad, with freight",
        "Programme",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
    assert!(!svg.contains("Transport"), "an all-zero part is listed");
}

#[test]
fn a_money_run_that_produced_nothing_says_so_instead_of_drawing() {
    let dir = tempfile::tempdir().unwrap();
    write_empty_run(dir.path());
    let mut annual = fs::read_to_string(dir.path().join("annual.csv")).unwrap();
    for year in 1..=5 {
        writeln!(annual, "{year},cost_per_kg,USD/kg,0,,,,,").unwrap();
        writeln!(annual, "{year},cumulative_cash_flow_usd,USD,0,,,,,").unwrap();
    }
    fs::write(dir.path().join("annual.csv"), annual).unwrap();
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let messages = [
        ("cost_per_kg", "No cost per kg in this run"),
        ("cash_flow", "No cash flow in this run"),
        ("refining", "No REO produced in this run"),
        ("cost_breakdown", "No cost in this run"),
    ];
    for (stem, message) in messages {
        assert!(read_svg(dir.path(), stem).contains(message), "{stem}");
    }
}

/// Cut mid-row, the last row of `annual.csv` can still parse, its last
/// cell a shorter number: money metrics' long figures made that likely.
#[test]
fn an_annual_csv_cut_mid_row_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    // The last cell, 0, written as 000000 and cut to 0000.
    let annual = fs::read_to_string(dir.path().join("annual.csv")).unwrap();
    let long = format!("{}00000\n", annual.trim_end());
    fs::write(dir.path().join("annual.csv"), &long[..long.len() - 3]).unwrap();
    let error = draw_all(dir.path(), Format::Svg, 1200, 800).unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.contains("annual.csv") && message.contains("truncated"),
        "{message}"
    );
}

/// The colour of a test layer: pure, not in any other chart element.
const PROBE: plotters::style::RGBColor = plotters::style::RGBColor(0xEE, 0x11, 0xEE);

/// Draws `layers` (bottom-up) over `years` into a 900 × 600 RGB buffer.
fn draw_stacked_bitmap(
    years: &[f64],
    layers: &[super::stacked::Layer],
    last_fraction: Option<f64>,
) -> Vec<u8> {
    use plotters::prelude::*;
    super::register_font().unwrap();
    let (w, h) = (900u32, 600u32);
    let mut buffer = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
        super::stacked::draw_stacked(
            &root,
            &super::stacked::Stacked {
                title: "Test",
                years,
                layers,
                calendar: true,
                last_fraction,
                unit: super::axis::usd_unit,
                y_title: |unit| format!("Cost ({unit}/yr)"),
                empty: "Nothing",
            },
        )
        .unwrap();
        root.present().unwrap();
    }
    buffer
}

/// Pixels of `colour` in columns `x0..x1` and rows `y0..y1` of a 900-px
/// wide RGB buffer.
fn count_colour(
    buffer: &[u8],
    colour: plotters::style::RGBColor,
    (x0, x1): (usize, usize),
    (y0, y1): (usize, usize),
) -> usize {
    let mut count = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * 900 + x) * 3;
            if buffer[i..i + 3] == [colour.0, colour.1, colour.2] {
                count += 1;
            }
        }
    }
    count
}

/// A layer that is zero in a year has nothing drawn there: no 1-px line in
/// its colour along the top of the block below (the bitmap backend drew a
/// zero-height polygon as one, the last zero layer's colour winning).
#[test]
fn a_zero_layer_paints_no_line_in_its_colour() {
    use super::stacked::Layer;
    let layers = [
        Layer {
            label: "Capital".into(),
            colour: plotters::style::RGBColor(0x8C, 0x8C, 0x8C),
            values: vec![1e8, 1e8, 1e8],
        },
        Layer {
            label: "Probe".into(),
            colour: PROBE,
            values: vec![5e7, 0.0, 0.0],
        },
    ];
    let buffer = draw_stacked_bitmap(&[2028.0, 2029.0, 2030.0], &layers, None);
    // The right half of the plot (2029–30), below the legend: no probe.
    assert_eq!(count_colour(&buffer, PROBE, (500, 890), (150, 590)), 0);
    // Its block in 2028 is drawn.
    assert!(count_colour(&buffer, PROBE, (0, 450), (150, 590)) > 100);
}

#[test]
fn blocks_are_left_out_where_a_layer_is_zero() {
    use super::stacked::{Block, blocks};
    let a = [1.0, 2.0, 0.0];
    let b = [0.0, 3.0, f64::NAN];
    let c = [-1.0, 0.0, 4.0];
    let all = blocks(&[1.0, 2.0, 3.0], &[&a, &b, &c], None);
    let block = |layer, year, x: f64, base, top| Block {
        layer,
        year,
        x0: x - 0.5,
        x1: x + 0.5,
        base,
        top,
    };
    assert_eq!(
        all,
        [
            block(0, 0, 1.0, 0.0, 1.0),
            block(2, 0, 1.0, 0.0, -1.0),
            block(0, 1, 2.0, 0.0, 2.0),
            block(1, 1, 2.0, 2.0, 5.0),
            block(2, 2, 3.0, 0.0, 4.0),
        ]
    );
}

/// A rule parts two blocks only where both are taller than it, and never
/// tops the outermost block (where it would erase a grid line).
#[test]
fn separators_part_only_blocks_taller_than_the_rule() {
    use super::stacked::{blocks, separators};
    let a = [10.0, 10.0, 10.0];
    let b = [10.0, 0.1, 10.0];
    let c = [10.0, 10.0, 0.0];
    let all = blocks(&[1.0, 2.0, 3.0], &[&a, &b, &c], None);
    // 1 px per unit; a 3-px rule.
    let rules = separators(&all, |b| (b.top - b.base).abs(), 3.0);
    assert_eq!(
        rules,
        [
            // Year 1: between a and b, b and c; none above c.
            (0.5, 1.5, 10.0),
            (0.5, 1.5, 20.0),
            // Year 2: b is 0.1 px, so neither of its edges has a rule.
            // Year 3: between a and b only (c is zero).
            (2.5, 3.5, 10.0),
        ]
    );
}

/// The horizon's part year: 0.15 of year 1, 0.2 of year 5 of 4.2 years.
#[test]
fn a_horizon_ending_part_way_through_its_last_year_gives_that_share() {
    use super::data::part_year;
    assert_eq!(part_year(0.15, 1), Some(0.15));
    assert!((part_year(4.2, 5).unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(part_year(4.0, 4), None);
    assert_eq!(part_year(1.0, 1), None);
    assert_eq!(part_year(4.2, 4), None);
    assert_eq!(part_year(f64::NAN, 1), None);
}

/// A part year's block is as wide as its share of a year, its height the
/// rate per year (its total over that share).
#[test]
fn a_part_year_is_drawn_as_wide_as_its_share_at_its_rate() {
    use super::stacked::blocks;
    let totals = [100.0, 100.0, 20.0];
    let all = blocks(&[1.0, 2.0, 3.0], &[&totals], Some(0.2));
    let last = all.last().unwrap();
    assert_eq!((last.x0, last.top), (2.5, 100.0));
    assert!((last.x1 - 2.7).abs() < 1e-12);
    assert_eq!(all[0].x1 - all[0].x0, 1.0);
}

/// Writes a `summary.json` for the money fixture: a horizon of `years`,
/// capital by `capex_method`, from 2028.
fn write_summary(dir: &Path, years: f64, capex_method: &str) {
    fs::write(
        dir.join("summary.json"),
        format!(
            r#"{{"scenario": {{"scenario": {{"name": "fixture", "years": {years}}},
                 "economics": {{"start_year": 2028, "capex_method": "{capex_method}"}}}},
              "kpis": {{}}}}"#
        ),
    )
    .unwrap();
}

#[test]
fn the_points_of_a_part_year_stand_at_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    write_summary(dir.path(), 9.25, "annuity");
    let run = super::data::RunData::read(dir.path()).unwrap();
    let economics = run.economics.unwrap();
    assert_eq!(economics.last_fraction, Some(0.25));
    // Year 10 (2037, drawn from 2036.5 to 2037.5) ends after a quarter of
    // it: 2036.75; year 9 stays at 2036.
    let cash: Vec<f64> = economics
        .cumulative_cash_usd
        .iter()
        .map(|p| p.year)
        .collect();
    assert_eq!(cash[8..], [2036.0, 2036.75]);
    let cost: Vec<f64> = economics.cost_per_kg.iter().map(|p| p.year).collect();
    assert_eq!(cost.last(), Some(&2036.75));
    // The stacked charts draw it.
    draw_all(dir.path(), Format::Both, 1200, 800).unwrap();
    assert!(!read_svg(dir.path(), "cost_breakdown").contains("NaN"));

    write_summary(dir.path(), 10.0, "annuity");
    let whole = super::data::RunData::read(dir.path()).unwrap();
    assert_eq!(whole.economics.unwrap().last_fraction, None);
}

/// With no REO the cost per kg has no value, though the price has one: the
/// chart says so instead of drawing a price alone.
#[test]
fn with_no_reo_the_cost_per_kg_chart_says_so_though_a_price_exists() {
    let dir = tempfile::tempdir().unwrap();
    write_empty_run(dir.path());
    let mut annual = fs::read_to_string(dir.path().join("annual.csv")).unwrap();
    for year in 1..=5 {
        writeln!(annual, "{year},cost_per_kg,USD/kg,0,,,,,").unwrap();
        writeln!(annual, "{year},price_usd_per_kg,USD/kg,20,40,0,40,40,40").unwrap();
    }
    fs::write(dir.path().join("annual.csv"), annual).unwrap();
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cost_per_kg");
    assert!(svg.contains("No cost per kg in this run"));
}

#[test]
fn an_extent_of_one_exact_power_of_ten_is_padded_a_decade_either_side() {
    use super::cost_per_kg::padded_decades;
    assert_eq!(padded_decades(100.0, 100.0), (10.0, 1000.0));
    assert_eq!(padded_decades(1.0, 1.0), (0.1, 10.0));
    assert_eq!(padded_decades(100.0, 1000.0), (100.0, 1000.0));
    assert_eq!(padded_decades(150.0, 150.0), (150.0, 150.0));
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    let mut annual = fs::read_to_string(dir.path().join("annual.csv")).unwrap();
    for year in 1..=10 {
        writeln!(annual, "{year},cost_per_kg,USD/kg,20,100,0,100,100,100").unwrap();
        writeln!(
            annual,
            "{year},price_usd_per_kg,USD/kg,20,100,0,100,100,100"
        )
        .unwrap();
    }
    fs::write(dir.path().join("annual.csv"), annual).unwrap();
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cost_per_kg");
    for label in ["10", "100", "1,000"] {
        assert!(has_text(&svg, label), "{label} missing");
    }
}

/// Under `capex_method = "cash"` the last year's cost per kg can be at or
/// below zero (the book value credited); the log chart leaves it off and
/// says so.
#[test]
fn a_cost_per_kg_at_or_below_zero_is_left_off_the_log_chart_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    let annual = fs::read_to_string(dir.path().join("annual.csv")).unwrap();
    let annual = annual.replace(
        "10,cost_per_kg,USD/kg,20,500,1,300,500,750",
        "10,cost_per_kg,USD/kg,20,-50,1,-120,-50,20",
    );
    assert!(annual.contains("10,cost_per_kg,USD/kg,20,-50"));
    fs::write(dir.path().join("annual.csv"), annual).unwrap();
    write_summary(dir.path(), 10.0, "cash");
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    let svg = read_svg(dir.path(), "cost_per_kg");
    assert!(
        svg.contains("2037: cost ≤ 0 (book value credited), not drawn"),
        "note missing"
    );
    assert!(!svg.contains("NaN"));
    use super::cost_per_kg::dropped_note;
    assert_eq!(
        dropped_note(&[4.2], false, false),
        "year 5: cost ≤ 0, not drawn"
    );
    assert_eq!(
        dropped_note(&[2030.0, 2031.0, 2032.0, 2033.0], true, true),
        "4 years: cost ≤ 0 (book value credited), not drawn"
    );
    // Nothing dropped, no note.
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    write_money(dir.path(), true, None);
    write_summary(dir.path(), 10.0, "cash");
    draw_all(dir.path(), Format::Svg, 1200, 800).unwrap();
    assert!(!read_svg(dir.path(), "cost_per_kg").contains("not drawn"));
}
