//! Global sensitivity from a sample of points: rank transforms, the
//! standardised rank regression coefficient (SRRC), the partial rank
//! correlation coefficient (PRCC) and Spearman's rank correlation of each
//! input with an output (Saltelli et al. 2004, ch. 1; GoldSim's
//! "statistical sensitivity" reports the same measures).

/// Ranks from 1, ties sharing their mean rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let mean_rank = (start + end + 1) as f64 / 2.0;
        for &index in &order[start..end] {
            ranks[index] = mean_rank;
        }
        start = end;
    }
    ranks
}

/// Each input's sensitivity measures for one output.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// Standardised rank regression coefficient per input.
    pub srrc: Vec<f64>,
    /// Partial rank correlation coefficient per input.
    pub prcc: Vec<f64>,
    /// Spearman's rank correlation per input.
    pub spearman: Vec<f64>,
    /// R² of the rank regression: how much of the output's rank variance
    /// the inputs' ranks explain linearly (low: the measures say little).
    pub r_squared: f64,
}

/// The measures of `inputs[j][i]` (input j at point i) on `output[i]`.
/// Points with a non-finite output are left out; an input or output that
/// does not vary, or inputs that are collinear, give NaN measures.
pub fn sensitivity(inputs: &[Vec<f64>], output: &[f64]) -> Sensitivity {
    let keep: Vec<usize> = (0..output.len())
        .filter(|&i| output[i].is_finite())
        .collect();
    let standardised = |values: Vec<f64>| -> Option<Vec<f64>> {
        let r = ranks(&values);
        let n = r.len() as f64;
        let mean = r.iter().sum::<f64>() / n;
        let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        (sd > 0.0).then(|| r.iter().map(|x| (x - mean) / sd).collect())
    };
    let p = inputs.len();
    let nan = Sensitivity {
        srrc: vec![f64::NAN; p],
        prcc: vec![f64::NAN; p],
        spearman: vec![f64::NAN; p],
        r_squared: f64::NAN,
    };
    if keep.len() < p + 2 {
        return nan;
    }
    let y = standardised(keep.iter().map(|&i| output[i]).collect());
    let xs: Option<Vec<Vec<f64>>> = inputs
        .iter()
        .map(|input| standardised(keep.iter().map(|&i| input[i]).collect()))
        .collect();
    let (Some(y), Some(xs)) = (y, xs) else {
        return nan;
    };
    let n = y.len() as f64;
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / n;
    // The correlation matrix of (x_1 … x_p, y) of the standardised ranks.
    let mut variables = xs.clone();
    variables.push(y.clone());
    let correlation: Vec<Vec<f64>> = variables
        .iter()
        .map(|a| variables.iter().map(|b| dot(a, b)).collect())
        .collect();
    let spearman: Vec<f64> = (0..p).map(|j| correlation[j][p]).collect();
    let rxx: Vec<Vec<f64>> = correlation[..p]
        .iter()
        .map(|row| row[..p].to_vec())
        .collect();
    let Some(srrc) = solve(rxx, spearman.clone()) else {
        return Sensitivity { spearman, ..nan };
    };
    let r_squared = srrc.iter().zip(&spearman).map(|(b, r)| b * r).sum();
    let prcc = (0..p).map(|j| partial(&xs, &y, j)).collect();
    Sensitivity {
        srrc,
        prcc,
        spearman,
        r_squared,
    }
}

/// Below this pivot a matrix is taken as singular.
const SINGULAR: f64 = 1e-12;

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None`
/// when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for column in 0..n {
        let pivot =
            (column..n).max_by(|&i, &j| a[i][column].abs().total_cmp(&a[j][column].abs()))?;
        if a[pivot][column].abs() < SINGULAR {
            return None;
        }
        a.swap(column, pivot);
        b.swap(column, pivot);
        let (upper, lower) = a.split_at_mut(column + 1);
        let pivot_row = &upper[column];
        for (offset, row) in lower.iter_mut().enumerate() {
            let factor = row[column] / pivot_row[column];
            for (x, p) in row[column..].iter_mut().zip(&pivot_row[column..]) {
                *x -= factor * p;
            }
            b[column + 1 + offset] -= factor * b[column];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - tail) / a[row][row];
    }
    Some(x)
}

/// The partial correlation of `xs[j]` and `y` given the other inputs: the
/// correlation of their residuals after a least-squares fit on the others
/// (all standardised, so without intercept); NaN where a residual vanishes.
fn partial(xs: &[Vec<f64>], y: &[f64], j: usize) -> f64 {
    let others: Vec<&Vec<f64>> = xs
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != j)
        .map(|(_, x)| x)
        .collect();
    let residual = |target: &[f64]| -> Option<Vec<f64>> {
        let gram: Vec<Vec<f64>> = others
            .iter()
            .map(|a| others.iter().map(|b| dot(a, b)).collect())
            .collect();
        let rhs: Vec<f64> = others.iter().map(|a| dot(a, target)).collect();
        let beta = solve(gram, rhs)?;
        Some(
            (0..target.len())
                .map(|i| target[i] - others.iter().zip(&beta).map(|(x, b)| b * x[i]).sum::<f64>())
                .collect(),
        )
    };
    let (Some(rx), Some(ry)) = (residual(&xs[j]), residual(y)) else {
        return f64::NAN;
    };
    let scale = (dot(&rx, &rx) * dot(&ry, &ry)).sqrt();
    if scale <= SINGULAR * rx.len() as f64 {
        f64::NAN
    } else {
        dot(&rx, &ry) / scale
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_mean_rank() {
        assert_eq!(ranks(&[30.0, 10.0, 20.0, 10.0]), [4.0, 1.5, 3.0, 1.5]);
    }

    #[test]
    fn an_output_of_one_input_only_ranks_it_first() {
        // y depends monotonically, nonlinearly, on a; b is unrelated.
        let a: Vec<f64> = (0..20).map(|i| f64::from(i) / 20.0).collect();
        let b: Vec<f64> = (0..20).map(|i| f64::from((i * 7) % 20)).collect();
        let y: Vec<f64> = a.iter().map(|x| x.exp() * 100.0).collect();
        let s = sensitivity(&[a, b], &y);
        assert!((s.srrc[0] - 1.0).abs() < 1e-9, "{s:?}");
        assert!(s.srrc[1].abs() < 1e-9, "{s:?}");
        assert!((s.spearman[0] - 1.0).abs() < 1e-12);
        assert!((s.r_squared - 1.0).abs() < 1e-9);
        assert!((s.prcc[0] - 1.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn srrc_and_prcc_match_a_hand_computation() {
        // Ranks of x1 = 1..5, x2 = 2,1,4,3,5 and y = 1,3,2,5,4. With ranks
        // standardised, the correlations are Spearman's, 1 − 6Σd²/(n(n²−1)):
        // r(x1,x2) = 0.8, r(x1,y) = 0.8, r(x2,y) = 1 − 84/120 = 0.3. SRRC
        // solves [[1, .8], [.8, 1]] β = [.8, .3]: β = (0.8 − 0.24, 0.3 −
        // 0.64) / 0.36 = (14/9, −17/18). PRCC(x1) = (0.8 − 0.8·0.3) /
        // √((1 − 0.64)(1 − 0.09)) = 0.56 / √0.3276; R² = β · r.
        let x1 = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = vec![2.0, 1.0, 4.0, 3.0, 5.0];
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        let s = sensitivity(&[x1, x2], &y);
        assert!((s.srrc[0] - 14.0 / 9.0).abs() < 1e-12, "{s:?}");
        assert!((s.srrc[1] + 17.0 / 18.0).abs() < 1e-12, "{s:?}");
        assert!((s.prcc[0] - 0.56 / 0.3276f64.sqrt()).abs() < 1e-12, "{s:?}");
        let r_squared = 0.8 * 14.0 / 9.0 - 0.3 * 17.0 / 18.0;
        assert!((s.r_squared - r_squared).abs() < 1e-12);
    }

    #[test]
    fn a_constant_input_or_too_few_points_give_nan() {
        let s = sensitivity(&[vec![1.0; 6]], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert!(s.srrc[0].is_nan());
        let few = sensitivity(&[vec![1.0, 2.0]], &[1.0, 2.0]);
        assert!(few.srrc[0].is_nan());
    }
}
