//! Summary statistics over replicates: mean, standard deviation and quantiles.

/// Mean, sample standard deviation and the 5/50/95% quantiles of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub sd: f64,
    pub q05: f64,
    pub q50: f64,
    pub q95: f64,
}

impl Summary {
    pub fn of(xs: &[f64]) -> Summary {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n.max(1.0);
        let sd = if xs.len() > 1 {
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        Summary {
            mean,
            sd,
            q05: quantile(&sorted, 0.05),
            q50: quantile(&sorted, 0.5),
            q95: quantile(&sorted, 0.95),
        }
    }
}

/// Quantile of sorted data by linear interpolation between order statistics (type 7, the
/// default of R and numpy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_defaults() {
        let s = Summary::of(&[1.0, 2.0, 3.0, 4.0, 10.0]);
        assert_eq!(s.mean, 4.0);
        assert!((s.sd - 3.5355339).abs() < 1e-6);
        assert_eq!(s.q50, 3.0);
        assert!((s.q05 - 1.2).abs() < 1e-12);
        assert!((s.q95 - 8.8).abs() < 1e-12);
    }
}
