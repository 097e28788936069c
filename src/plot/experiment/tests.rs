//! Specifications of `experiment::draw`, on fixtures shaped like the
//! experiment results they stand for.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::Format;
use super::super::tests::{png_size, svg_size};
use super::{
    Band, Coefficients, Comparison, Curve, Difference, ExperimentChart, Heatmap, Response, Tornado,
    TornadoBar, draw,
};

fn band(mean: f64, half_width: f64) -> Band {
    Band {
        mean,
        lo: mean - half_width,
        hi: mean + half_width,
    }
}

const NAN_BAND: Band = Band {
    mean: f64::NAN,
    lo: f64::NAN,
    hi: f64::NAN,
};

/// Annual REO against the shuttle count, one curve per lift rate.
pub(super) fn response() -> Response {
    let curves = [
        (48.0, "lift 48 t/h"),
        (64.0, "lift 64 t/h"),
        (96.0, "lift 96 t/h"),
    ]
    .into_iter()
    .map(|(rate, label)| Curve {
        label: label.to_string(),
        points: (2..=6)
            .map(|shuttles| {
                let x = f64::from(shuttles);
                let mean = rate * 60.0 * (1.0 - (-0.6 * x).exp());
                (x, band(mean, 80.0 + 20.0 * x))
            })
            .collect(),
    })
    .collect();
    Response {
        title: "Annual REO against the shuttle count".to_string(),
        x_title: "fleet.shuttles".to_string(),
        y_title: "Recovered REO (t/yr)".to_string(),
        curves,
    }
}

/// Annual REO over shuttle count × lift rate, one combination undefined.
pub(super) fn heatmap() -> Heatmap {
    let xs: Vec<f64> = vec![2.0, 3.0, 4.0, 5.0];
    let ys = vec![32.0, 48.0, 64.0, 80.0, 96.0];
    let values = ys
        .iter()
        .map(|&rate| {
            xs.iter()
                .map(|&shuttles| {
                    if rate == 96.0 && shuttles == 2.0 {
                        f64::NAN
                    } else {
                        rate * 40.0 * (1.0 - (-0.5 * shuttles).exp())
                    }
                })
                .collect()
        })
        .collect();
    Heatmap {
        title: "Annual REO by fleet and lift rate".to_string(),
        x_title: "fleet.shuttles".to_string(),
        y_title: "mining.lift_rate_t_per_h".to_string(),
        value_title: "Recovered REO (t/yr)".to_string(),
        xs,
        ys,
        values,
    }
}

/// A tornado of five parameters, one of them with both results above the base.
pub(super) fn tornado() -> Tornado {
    let bar = |parameter: &str, inputs: (&str, &str), low: f64, high: f64| TornadoBar {
        parameter: parameter.to_string(),
        low_input: inputs.0.to_string(),
        high_input: inputs.1.to_string(),
        low: band(low, 35.0),
        high: band(high, 40.0),
    };
    Tornado {
        title: "Sensitivity of annual REO".to_string(),
        metric_title: "Recovered REO (t/yr)".to_string(),
        base: band(5_210.0, 30.0),
        bars: vec![
            bar("mining.lift_rate_t_per_h", ("64", "96"), 4_420.0, 5_870.0),
            bar(
                "mining.failure[0].tbf_h.mean",
                ("200", "800"),
                4_700.0,
                5_480.0,
            ),
            bar("fleet.shuttles", ("3", "5"), 4_980.0, 5_300.0),
            bar("port.berths", ("1", "3"), 5_260.0, 5_330.0),
            bar("weather.hs_limit_m", ("2.5", "3.5"), 5_170.0, 5_240.0),
        ],
    }
}

/// An alternative against the base on four metrics, one undefined.
pub(super) fn comparison() -> Comparison {
    let row = |label: &str, mean: f64, paired: f64, unpaired: f64| Difference {
        label: label.to_string(),
        mean_pct: mean,
        paired_pct: (mean - paired, mean + paired),
        unpaired_pct: (mean - unpaired, mean + unpaired),
    };
    Comparison {
        title: "Four shuttles against three".to_string(),
        rows: vec![
            row("Recovered REO", 6.2, 0.8, 3.1),
            row("Dry mud delivered", 5.9, 0.7, 2.9),
            row("Cost per kg REO", -3.4, 0.5, 2.2),
            row("Mining-system availability", 0.4, 0.3, 1.6),
            row("Shuttle utilisation", f64::NAN, f64::NAN, f64::NAN),
        ],
    }
}

/// Standardised rank regression coefficients of six parameters.
pub(super) fn coefficients() -> Coefficients {
    Coefficients {
        title: "Global sensitivity of annual REO".to_string(),
        x_title: "Standardised rank regression coefficient".to_string(),
        bars: [
            ("mining.lift_rate_t_per_h", 0.83),
            ("mining.failure[0].tbf_h.mean", 0.41),
            ("weather.hs_limit_m", -0.37),
            ("fleet.shuttles", 0.22),
            ("port.berths", -0.05),
            ("processing.recovery", 1.0),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect(),
    }
}

/// Every fixture, with a stem and the labels its SVG must show.
fn typical() -> Vec<(&'static str, ExperimentChart, Vec<&'static str>)> {
    vec![
        (
            "response",
            ExperimentChart::Response(response()),
            vec![
                "lift 48 t/h",
                "lift 96 t/h",
                "fleet.shuttles",
                "Recovered REO",
            ],
        ),
        (
            "heatmap",
            ExperimentChart::Heatmap(heatmap()),
            vec!["fleet.shuttles", "Recovered REO (t/yr)", "No value", "96"],
        ),
        (
            "tornado",
            ExperimentChart::Tornado(tornado()),
            vec![
                "mining.failure[0].tbf_h.mean",
                "low input",
                "high input",
                "\n64\n",
                "\n96\n",
                "\n3\n",
                "\n5\n",
                "Base: 5,210",
            ],
        ),
        (
            "comparison",
            ExperimentChart::Comparison(comparison()),
            vec![
                "paired (common random numbers)",
                "unpaired",
                "Cost per kg REO",
                "undefined",
                "+6.2%",
            ],
        ),
        (
            "coefficients",
            ExperimentChart::Sensitivity(coefficients()),
            vec!["mining.failure[0].tbf_h.mean", "0.83", "-0.37", "1.00"],
        ),
    ]
}

/// Asserts `written` is `<stem>.png` and `<stem>.svg` in `dir`, of `size`,
/// with no temporary file left; returns the SVG text.
fn assert_drawn(dir: &Path, stem: &str, written: &[PathBuf], size: (u32, u32)) -> String {
    let expected = ["png", "svg"].map(|ext| dir.join(format!("{stem}.{ext}")));
    assert_eq!(written, expected);
    assert_eq!(png_size(&fs::read(&expected[0]).unwrap()), size, "{stem}");
    let svg = fs::read_to_string(&expected[1]).unwrap();
    assert_eq!(svg_size(&svg), size, "{stem}");
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    svg
}

#[test]
fn every_experiment_chart_is_written_as_png_and_svg_with_its_labels() {
    for size in [(1200, 800), (600, 400)] {
        let dir = tempfile::tempdir().unwrap();
        for (stem, chart, labels) in typical() {
            let written = draw(dir.path(), stem, &chart, Format::Both, size.0, size.1).unwrap();
            let svg = assert_drawn(dir.path(), stem, &written, size);
            for label in labels {
                assert!(
                    svg.contains(label),
                    "{label} missing from {stem} at {size:?}"
                );
            }
        }
    }
}

#[test]
fn one_format_writes_only_that_format() {
    let dir = tempfile::tempdir().unwrap();
    let chart = ExperimentChart::Tornado(tornado());
    let png = draw(dir.path(), "t", &chart, Format::Png, 800, 600).unwrap();
    assert_eq!(png, [dir.path().join("t.png")]);
    let svg = draw(dir.path(), "t", &chart, Format::Svg, 800, 600).unwrap();
    assert_eq!(svg, [dir.path().join("t.svg")]);
}

#[test]
fn drawing_a_chart_twice_gives_identical_files() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for (stem, chart, _) in typical() {
        let a = draw(first.path(), stem, &chart, Format::Both, 1200, 800).unwrap();
        let b = draw(second.path(), stem, &chart, Format::Both, 1200, 800).unwrap();
        for (a, b) in a.iter().zip(&b) {
            assert!(
                fs::read(a).unwrap() == fs::read(b).unwrap(),
                "{}",
                a.display()
            );
        }
    }
}

#[test]
fn a_size_outside_the_limits_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let chart = ExperimentChart::Comparison(comparison());
    let error = draw(dir.path(), "c", &chart, Format::Both, 100, 800).unwrap_err();
    assert!(format!("{error:#}").contains("100 × 800"), "{error:#}");
}

/// Draws `chart` at 1200 × 800 and 600 × 400 and at the smallest size;
/// returns the large SVG.
fn draws_at_every_size(stem: &str, chart: &ExperimentChart) -> String {
    let dir = tempfile::tempdir().unwrap();
    for size in [(600, 400), (200, 150), (1200, 800)] {
        let written = draw(dir.path(), stem, chart, Format::Both, size.0, size.1)
            .unwrap_or_else(|e| panic!("{stem} at {size:?}: {e:#}"));
        assert_drawn(dir.path(), stem, &written, size);
    }
    fs::read_to_string(dir.path().join(format!("{stem}.svg"))).unwrap()
}

#[test]
fn charts_with_nothing_in_them_say_so() {
    let empty = [
        ExperimentChart::Response(Response {
            curves: vec![],
            ..response()
        }),
        ExperimentChart::Response(Response {
            curves: vec![Curve {
                label: "empty".to_string(),
                points: vec![],
            }],
            ..response()
        }),
        ExperimentChart::Heatmap(Heatmap {
            xs: vec![],
            values: vec![],
            ..heatmap()
        }),
        ExperimentChart::Tornado(Tornado {
            bars: vec![],
            base: NAN_BAND,
            ..tornado()
        }),
        ExperimentChart::Comparison(Comparison {
            rows: vec![],
            ..comparison()
        }),
        ExperimentChart::Sensitivity(Coefficients {
            bars: vec![],
            ..coefficients()
        }),
    ];
    for chart in empty {
        let svg = draws_at_every_size("empty", &chart);
        assert!(svg.contains("Nothing to draw"), "{chart:?}");
    }
}

#[test]
fn a_response_of_one_point_or_equal_values_draws() {
    let one_point = Curve {
        label: "only".to_string(),
        points: vec![(3.0, band(5_000.0, 50.0))],
    };
    let flat = Curve {
        label: "flat".to_string(),
        points: (0..5).map(|i| (f64::from(i), band(7.0, 0.0))).collect(),
    };
    let single_x = Curve {
        label: "one x".to_string(),
        points: vec![(4.0, band(7.0, 0.0)), (4.0, band(7.0, 0.0))],
    };
    for curves in [
        vec![one_point.clone()],
        vec![flat],
        vec![single_x],
        vec![one_point],
    ] {
        draws_at_every_size(
            "response",
            &ExperimentChart::Response(Response {
                curves,
                ..response()
            }),
        );
    }
}

#[test]
fn a_response_with_undefined_and_infinite_values_draws_what_is_defined() {
    let points = [
        (1.0, band(10.0, 1.0)),
        (2.0, NAN_BAND),
        (
            3.0,
            Band {
                mean: 12.0,
                lo: f64::NAN,
                hi: f64::NAN,
            },
        ),
        (
            4.0,
            Band {
                mean: f64::INFINITY,
                lo: 0.0,
                hi: f64::INFINITY,
            },
        ),
        (f64::NAN, band(3.0, 1.0)),
        (6.0, band(f64::NEG_INFINITY, 1.0)),
        (7.0, band(14.0, 2.0)),
        (8.0, band(15.0, 2.0)),
    ];
    let mut curves: Vec<Curve> = (0..10)
        .map(|i| Curve {
            label: format!("curve number {i} with a long label"),
            points: points
                .iter()
                .map(|&(x, b)| {
                    (
                        x,
                        Band {
                            mean: b.mean + f64::from(i),
                            ..b
                        },
                    )
                })
                .collect(),
        })
        .collect();
    curves.push(Curve {
        label: "all undefined".to_string(),
        points: vec![(1.0, NAN_BAND)],
    });
    let svg = draws_at_every_size(
        "response",
        &ExperimentChart::Response(Response {
            curves,
            ..response()
        }),
    );
    assert!(svg.contains("curve number 9 with a long label"));
    let undefined = Curve {
        label: "undefined".to_string(),
        points: vec![(1.0, NAN_BAND), (2.0, band(f64::INFINITY, 1.0))],
    };
    let svg = draws_at_every_size(
        "response",
        &ExperimentChart::Response(Response {
            curves: vec![undefined],
            ..response()
        }),
    );
    assert!(svg.contains("Nothing to draw"));
}

#[test]
fn heatmaps_of_one_row_one_column_equal_or_undefined_values_draw() {
    let row = Heatmap {
        ys: vec![64.0],
        values: vec![vec![1.0, 2.0, 3.0, 4.0]],
        ..heatmap()
    };
    let column = Heatmap {
        xs: vec![3.0],
        values: (0..5).map(|i| vec![f64::from(i)]).collect(),
        ..heatmap()
    };
    let one = Heatmap {
        xs: vec![3.0],
        ys: vec![64.0],
        values: vec![vec![5.0]],
        ..heatmap()
    };
    let equal = Heatmap {
        values: vec![vec![42.0; 4]; 5],
        ..heatmap()
    };
    let odd = Heatmap {
        // Ragged, infinite, and missing rows and cells.
        values: vec![
            vec![1.0, f64::INFINITY],
            vec![],
            vec![f64::NEG_INFINITY, 3.0, 4.0, 5.0, 6.0],
        ],
        ..heatmap()
    };
    let fine = Heatmap {
        xs: (0..60).map(|i| 0.05 * f64::from(i)).collect(),
        ys: (0..40).map(|i| 1_000.0 * f64::from(i)).collect(),
        values: (0..40)
            .map(|y| (0..60).map(|x| f64::from(x * y)).collect())
            .collect(),
        ..heatmap()
    };
    for chart in [row, column, one, equal, odd, fine] {
        draws_at_every_size("heatmap", &ExperimentChart::Heatmap(chart));
    }
    let undefined = Heatmap {
        values: vec![vec![f64::NAN; 4]; 5],
        ..heatmap()
    };
    let svg = draws_at_every_size("heatmap", &ExperimentChart::Heatmap(undefined));
    assert!(svg.contains("Nothing to draw"));
}

#[test]
fn a_tornado_of_forty_long_named_bars_names_every_parameter() {
    let bars: Vec<TornadoBar> = (0..40)
        .map(|i| TornadoBar {
            parameter: format!("mining.failure[{i}].time_between_failures_h.mean"),
            low_input: format!("{}", 100 + i),
            high_input: format!("{}", 900 - i),
            low: band(5_210.0 - 40.0 * f64::from(40 - i), 20.0),
            high: band(5_210.0 + 30.0 * f64::from(40 - i), 20.0),
        })
        .collect();
    let tornado = Tornado { bars, ..tornado() };
    let dir = tempfile::tempdir().unwrap();
    let chart = ExperimentChart::Tornado(tornado);
    draw(dir.path(), "tornado", &chart, Format::Svg, 1200, 800).unwrap();
    let svg = fs::read_to_string(dir.path().join("tornado.svg")).unwrap();
    for i in 0..40 {
        assert!(
            svg.contains(&format!("mining.failure[{i}]")),
            "bar {i} unnamed"
        );
    }
    draws_at_every_size("tornado", &chart);
}

#[test]
fn tornadoes_with_undefined_equal_or_one_sided_results_draw() {
    let base = tornado();
    let mut bars = base.bars.clone();
    bars[0].low = NAN_BAND;
    bars[1].high = Band {
        mean: 5_000.0,
        lo: f64::NAN,
        hi: f64::INFINITY,
    };
    bars[2].low = base.base;
    bars[2].high = base.base;
    bars[3].low = NAN_BAND;
    bars[3].high = NAN_BAND;
    let undefined = Tornado {
        bars: bars.clone(),
        ..tornado()
    };
    let svg = draws_at_every_size("tornado", &ExperimentChart::Tornado(undefined));
    assert!(svg.contains("64: undefined"));
    let baseless = Tornado {
        base: NAN_BAND,
        bars,
        ..tornado()
    };
    let svg = draws_at_every_size("tornado", &ExperimentChart::Tornado(baseless));
    assert!(svg.contains("Base: undefined"));
    let one = Tornado {
        bars: vec![TornadoBar {
            low: band(5_210.0, 0.0),
            high: band(5_210.0, 0.0),
            ..tornado().bars[0].clone()
        }],
        base: band(5_210.0, 0.0),
        ..tornado()
    };
    draws_at_every_size("tornado", &ExperimentChart::Tornado(one));
}

#[test]
fn comparisons_and_coefficients_with_odd_values_draw() {
    let odd = Comparison {
        rows: vec![
            Difference {
                label: "only a mean".to_string(),
                mean_pct: 2.0,
                paired_pct: (f64::NAN, f64::NAN),
                unpaired_pct: (f64::NAN, 5.0),
            },
            Difference {
                label: "infinite".to_string(),
                mean_pct: f64::INFINITY,
                paired_pct: (f64::NEG_INFINITY, f64::INFINITY),
                unpaired_pct: (0.0, 0.0),
            },
            Difference {
                label: "zero".to_string(),
                mean_pct: 0.0,
                paired_pct: (0.0, 0.0),
                unpaired_pct: (0.0, 0.0),
            },
        ],
        ..comparison()
    };
    let svg = draws_at_every_size("comparison", &ExperimentChart::Comparison(odd));
    assert!(svg.contains("undefined"));
    let odd = Coefficients {
        bars: vec![
            ("one".to_string(), -1.0),
            ("undefined".to_string(), f64::NAN),
            ("infinite".to_string(), f64::INFINITY),
            ("out of range".to_string(), 1.7),
            ("zero".to_string(), 0.0),
        ],
        ..coefficients()
    };
    draws_at_every_size("coefficients", &ExperimentChart::Sensitivity(odd));
    let many = Coefficients {
        bars: (0..40)
            .map(|i| {
                (
                    format!("scenario.parameter_{i}.value"),
                    1.0 - f64::from(i) / 20.0,
                )
            })
            .collect(),
        ..coefficients()
    };
    draws_at_every_size("coefficients", &ExperimentChart::Sensitivity(many));
}
