//! The standard normal distribution: CDF and quantile function.

/// Φ(x), the standard normal CDF, via the complementary error function
/// (W. J. Cody's rational approximations, relative error below 1e-15).
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error
/// 1.15e-9) refined by one Halley step on [`normal_cdf`] to ~1e-15.
/// Returns −∞ at 0, +∞ at 1 and NaN outside [0, 1].
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    };
    // One Halley step: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// The complementary error function, after W. J. Cody, "Rational Chebyshev
/// approximations for the error function", Math. Comp. 23 (1969) 631–637.
///
/// Kept rather than `libm::erfc`: Φ and Φ⁻¹ turn uniforms into draws
/// (lognormal, truncated normal, ore grade), which the golden values and
/// snapshots pin to the last bit.
fn erfc(x: f64) -> f64 {
    let ax = x.abs();
    let result = if ax < 0.5 {
        return 1.0 - erf_small(x);
    } else if ax < 4.0 {
        const P: [f64; 9] = [
            5.641_884_969_886_701e-1,
            8.883_149_794_388_376,
            6.611_919_063_714_163e1,
            2.986_351_381_974_001e2,
            8.819_522_212_417_69e2,
            1.712_047_612_634_071e3,
            2.051_078_377_826_071e3,
            1.230_339_354_797_997e3,
            2.153_115_354_744_038e-8,
        ];
        const Q: [f64; 8] = [
            1.574_492_611_070_983e1,
            1.176_939_508_913_125e2,
            5.371_811_018_620_099e2,
            1.621_389_574_566_69e3,
            3.290_799_235_733_46e3,
            4.362_619_090_143_247e3,
            3.439_367_674_143_722e3,
            1.230_339_354_803_749e3,
        ];
        let mut num = P[8] * ax;
        let mut den = ax;
        for i in 0..7 {
            num = (num + P[i]) * ax;
            den = (den + Q[i]) * ax;
        }
        let ratio = (num + P[7]) / (den + Q[7]);
        scaled_exp(ax) * ratio
    } else {
        const P: [f64; 6] = [
            3.053_266_349_612_323e-1,
            3.603_448_999_498_044e-1,
            1.257_817_261_112_292e-1,
            1.608_378_514_874_228e-2,
            6.587_491_615_298_378e-4,
            1.631_538_713_730_51e-2,
        ];
        const Q: [f64; 5] = [
            2.568_520_192_289_822,
            1.872_952_849_923_461,
            5.279_051_029_514_285e-1,
            6.051_834_131_244_132e-2,
            2.335_204_976_268_692e-3,
        ];
        if ax >= 27.0 {
            0.0
        } else {
            let z = 1.0 / (ax * ax);
            let mut num = P[5] * z;
            let mut den = z;
            for i in 0..4 {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            let ratio = z * (num + P[4]) / (den + Q[4]);
            let frac_1_sqrt_pi = 0.564_189_583_547_756_3;
            scaled_exp(ax) * (frac_1_sqrt_pi - ratio) / ax
        }
    };
    if x < 0.0 { 2.0 - result } else { result }
}

/// exp(−x²) computed as exp(−y²)·exp(−(x−y)(x+y)) with y = x rounded down to
/// a multiple of 1/16, as Cody does, to keep full precision for large x.
fn scaled_exp(x: f64) -> f64 {
    let y = (x * 16.0).trunc() / 16.0;
    let del = (x - y) * (x + y);
    (-y * y).exp() * (-del).exp()
}

/// erf(x) for |x| < 0.5 (Cody's first rational approximation).
fn erf_small(x: f64) -> f64 {
    const A: [f64; 5] = [
        3.161_123_743_870_566,
        1.138_641_541_510_502e2,
        3.774_852_376_853_02e2,
        3.209_377_589_138_469e3,
        1.857_777_061_846_032e-1,
    ];
    const B: [f64; 4] = [
        2.360_129_095_234_412e1,
        2.440_246_379_344_442e2,
        1.282_616_526_077_372e3,
        2.844_236_833_439_171e3,
    ];
    let z = x * x;
    let mut num = A[4] * z;
    let mut den = z;
    for i in 0..3 {
        num = (num + A[i]) * z;
        den = (den + B[i]) * z;
    }
    x * (num + A[3]) / (den + B[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values of Φ from standard tables (R's `pnorm`).
    #[test]
    fn cdf_matches_reference_values() {
        let cases = [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_05),
            (1.959_963_984_540_054, 0.975),
            (-3.0, 0.001_349_898_031_630_094_6),
            (0.3, 0.617_911_422_188_952_7),
            (-6.0, 9.865_876_450_376_98e-10),
            (-10.0, 7.619_853_024_160_527e-24),
        ];
        for (x, expected) in cases {
            let got = normal_cdf(x);
            assert!(
                ((got - expected) / expected).abs() < 1e-12,
                "Φ({x}) = {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn quantile_matches_reference_values() {
        let cases = [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.995, 2.575_829_303_548_901),
            (0.9, 1.281_551_565_544_600_4),
            (0.01, -2.326_347_874_040_841),
            (1e-10, -6.361_340_902_404_056),
        ];
        for (p, expected) in cases {
            let got = normal_quantile(p);
            assert!(
                (got - expected).abs() < 1e-12 * expected.abs().max(1.0),
                "Φ⁻¹({p}) = {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn quantile_edges_are_infinite_or_nan() {
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        assert!(normal_quantile(1.5).is_nan());
        assert!(normal_quantile(f64::NAN).is_nan());
        assert!(normal_cdf(f64::NAN).is_nan());
    }
}
