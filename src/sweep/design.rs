//! Experimental designs in the unit cube: grid, random, Latin hypercube, Saltelli's Sobol
//! scheme and Morris trajectories. A design is a list of points in [0, 1]^k; `spec::Levels`
//! maps each coordinate to a parameter value.
//!
//! Every point is a pure function of (design, seed, point index): random draws come from
//! ChaCha8 streams keyed by the point (or trajectory), never from a thread or the clock, so
//! any process, shard or thread computes the same point. The module knows nothing of
//! scenarios and does no IO, so it can drive any model function (see `tests/sweep.rs`).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};
use rand_chacha::ChaCha8Rng;

/// SplitMix64: a bijective 64-bit mix, for deriving seeds from (seed, index).
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(splitmix64(seed ^ 0xDE51_6000_0000_0001));
    r.set_stream(stream);
    r
}

/// A design in the unit cube whose points are computed on demand.
#[derive(Clone, Debug)]
pub struct UnitDesign {
    k: usize,
    kind: Kind,
    seed: u64,
}

#[derive(Clone, Debug)]
enum Kind {
    /// Number of levels of each dimension; the last dimension varies fastest.
    Grid(Vec<usize>),
    Random(u64),
    /// One permutation of the strata per dimension.
    Latin(Vec<Vec<u32>>),
    Saltelli(u64),
    Morris {
        trajectories: u64,
        levels: u32,
    },
}

impl UnitDesign {
    /// Every combination of `sizes[d]` levels per dimension, at the centres of equal cells.
    pub fn grid(sizes: &[usize]) -> UnitDesign {
        UnitDesign {
            k: sizes.len(),
            kind: Kind::Grid(sizes.to_vec()),
            seed: 0,
        }
    }

    /// `n` points drawn uniformly.
    pub fn random(k: usize, n: u64, seed: u64) -> UnitDesign {
        UnitDesign {
            k,
            kind: Kind::Random(n),
            seed,
        }
    }

    /// `n` points, exactly one in each of the `n` strata of every dimension.
    pub fn latin_hypercube(k: usize, n: u64, seed: u64) -> UnitDesign {
        let mut r = rng(seed, u64::MAX);
        let perms = (0..k)
            .map(|_| {
                let mut p: Vec<u32> = (0..n as u32).collect();
                p.shuffle(&mut r);
                p
            })
            .collect();
        UnitDesign {
            k,
            kind: Kind::Latin(perms),
            seed,
        }
    }

    /// Saltelli's scheme for `n` base samples: the point `i * (k + 2) + j` is A_i for j = 0,
    /// A_i with column j-1 taken from B_i for j = 1..=k, and B_i for j = k + 1. A and B are
    /// the two halves of a 2k-dimensional Owen-scrambled Sobol sequence.
    pub fn saltelli(k: usize, n: u64, seed: u64) -> UnitDesign {
        UnitDesign {
            k,
            kind: Kind::Saltelli(n),
            seed,
        }
    }

    /// `r` Morris trajectories of `k + 1` points on a grid of `levels` levels per dimension,
    /// each step moving one factor by Δ = levels / (2 (levels - 1)).
    pub fn morris(k: usize, r: u64, levels: u32, seed: u64) -> UnitDesign {
        UnitDesign {
            k,
            kind: Kind::Morris {
                trajectories: r,
                levels,
            },
            seed,
        }
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.k
    }

    /// Number of points.
    pub fn len(&self) -> u64 {
        match &self.kind {
            Kind::Grid(sizes) => sizes.iter().map(|&s| s as u64).product(),
            Kind::Random(n) => *n,
            Kind::Latin(perms) => perms.first().map_or(0, |p| p.len() as u64),
            Kind::Saltelli(n) => n * (self.k as u64 + 2),
            Kind::Morris { trajectories, .. } => trajectories * (self.k as u64 + 1),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Morris step Δ in unit coordinates (None for other designs).
    pub fn morris_delta(&self) -> Option<f64> {
        match self.kind {
            Kind::Morris { levels, .. } => Some(morris_delta(levels)),
            _ => None,
        }
    }

    /// For a grid: the level index of each dimension at point `p`.
    pub fn grid_indices(&self, p: u64) -> Option<Vec<usize>> {
        let Kind::Grid(sizes) = &self.kind else {
            return None;
        };
        let mut rest = p;
        let mut idx = vec![0; sizes.len()];
        for d in (0..sizes.len()).rev() {
            idx[d] = (rest % sizes[d] as u64) as usize;
            rest /= sizes[d] as u64;
        }
        Some(idx)
    }

    /// The coordinates of point `p` (< `len()`).
    pub fn point(&self, p: u64) -> Vec<f64> {
        let k = self.k;
        match &self.kind {
            Kind::Grid(sizes) => self
                .grid_indices(p)
                .unwrap_or_default()
                .iter()
                .zip(sizes)
                .map(|(&i, &s)| (i as f64 + 0.5) / s as f64)
                .collect(),
            Kind::Random(_) => {
                let mut r = rng(self.seed, p);
                (0..k).map(|_| unit(&mut r)).collect()
            }
            Kind::Latin(perms) => {
                let n = perms[0].len() as f64;
                let mut r = rng(self.seed, p);
                perms
                    .iter()
                    .map(|perm| (f64::from(perm[p as usize]) + unit(&mut r)) / n)
                    .collect()
            }
            Kind::Saltelli(_) => {
                let (i, j) = (p / (k as u64 + 2), (p % (k as u64 + 2)) as usize);
                let scramble = (splitmix64(self.seed) >> 32) as u32;
                let a = |d: usize| single(sobol_burley::sample(i as u32, d as u32, scramble));
                let b = |d: usize| single(sobol_burley::sample(i as u32, (k + d) as u32, scramble));
                (0..k)
                    .map(|d| {
                        if j == k + 1 || (j >= 1 && d == j - 1) {
                            b(d)
                        } else {
                            a(d)
                        }
                    })
                    .collect()
            }
            Kind::Morris { levels, .. } => {
                let (t, step) = (p / (k as u64 + 1), (p % (k as u64 + 1)) as usize);
                let (mut x, order, dir) = morris_start(k, *levels, &mut rng(self.seed, t));
                let delta = morris_delta(*levels);
                for &d in order.iter().take(step) {
                    x[d] += dir[d] * delta;
                }
                x
            }
        }
    }
}

fn unit(r: &mut impl Rng) -> f64 {
    r.random::<f64>()
}

fn morris_delta(levels: u32) -> f64 {
    f64::from(levels) / (2.0 * f64::from(levels - 1))
}

/// A trajectory's start, the order in which factors move and their directions (±1).
fn morris_start(k: usize, levels: u32, r: &mut ChaCha8Rng) -> (Vec<f64>, Vec<usize>, Vec<f64>) {
    let delta = morris_delta(levels);
    let grid = f64::from(levels - 1);
    // Base levels are those from which a step of Δ stays inside [0, 1].
    let n_base = levels / 2;
    let mut x = Vec::with_capacity(k);
    let mut dir = Vec::with_capacity(k);
    for _ in 0..k {
        let base = f64::from(r.random_range(0..n_base)) / grid;
        let up = r.random_bool(0.5);
        x.push(if up { base } else { base + delta });
        dir.push(if up { 1.0 } else { -1.0 });
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.shuffle(r);
    (x, order, dir)
}

/// A single-precision coordinate (the Sobol generator's) as the double nearest its shortest
/// decimal: `0.9242496`, not `0.9242496490478516` (single-precision noise in every file).
fn single(x: f32) -> f64 {
    format!("{x}").parse().unwrap_or(f64::from(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_fills_every_stratum_once() {
        let d = UnitDesign::latin_hypercube(3, 50, 7);
        for dim in 0..3 {
            let mut strata: Vec<usize> =
                (0..50).map(|p| (d.point(p)[dim] * 50.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
    }

    #[test]
    fn morris_steps_move_one_factor_by_delta() {
        let d = UnitDesign::morris(4, 10, 4, 3);
        let delta = d.morris_delta().unwrap();
        for t in 0..10 {
            for s in 0..4 {
                let (a, b) = (d.point(t * 5 + s), d.point(t * 5 + s + 1));
                let moved: Vec<f64> = a
                    .iter()
                    .zip(&b)
                    .map(|(x, y)| y - x)
                    .filter(|m| *m != 0.0)
                    .collect();
                assert_eq!(moved.len(), 1);
                assert!((moved[0].abs() - delta).abs() < 1e-12);
                assert!(b.iter().all(|x| (0.0..=1.0).contains(x)));
            }
        }
    }

    #[test]
    fn saltelli_rows_share_columns_as_the_scheme_says() {
        let k = 3;
        let d = UnitDesign::saltelli(k, 8, 1);
        for i in 0..8u64 {
            let row = |j: u64| d.point(i * (k as u64 + 2) + j);
            let (a, b) = (row(0), row(k as u64 + 1));
            for j in 1..=k {
                let ab = row(j as u64);
                for c in 0..k {
                    assert_eq!(ab[c], if c == j - 1 { b[c] } else { a[c] });
                }
            }
        }
    }
}
