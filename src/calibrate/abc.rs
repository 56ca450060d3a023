//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), the population
//! Monte Carlo sampler of Beaumont, Cornuet, Marin & Robert (2009, *Biometrika* 96(4)) with
//! the adaptive tolerance of Del Moral, Doucet & Jasra (2012): each generation's tolerance
//! is a quantile of the previous generation's distances.
//!
//! - Generation 0 draws `particles` parameter sets from the prior and accepts them all.
//! - Generation t ≥ 1 sets ε_t to the `quantile` of generation t−1's distances, then
//!   proposes until `particles` are accepted: pick a parent j with probability w_j, perturb
//!   it with a Gaussian kernel whose covariance is twice the weighted covariance of the
//!   previous generation (Beaumont et al.), redraw both if the result leaves the prior's
//!   support, simulate, and accept if the distance is at most ε_t. An accepted θ gets the
//!   importance weight π(θ) / Σ_j w_j K(θ | θ_j), normalized.
//!
//! Priors are uniform on an interval, or log-uniform; the sampler works in the internal
//! space where every prior is uniform (the log of a log-uniform parameter), so π is constant
//! on the support and the kernel acts on log scales where they are natural.
//!
//! Reproducible by construction: proposal `a` of generation `g` draws everything (parent,
//! perturbation, the simulation's seed) from its own ChaCha8 generator derived from
//! (seed, g, a), proposals run in parallel in batches whose sizes depend only on earlier
//! results, and the first `particles` accepted in proposal order are kept. So the sample is
//! the same bits for any number of threads, and a generation can be recomputed from the
//! previous one (resuming). This module knows nothing of the model or of files: it calls a
//! simulator with θ and a seed and gets a distance back.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// A prior: uniform on [lo, hi], or log-uniform (uniform in ln θ; needs lo > 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prior {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

impl Prior {
    /// The internal coordinate, in which the prior is uniform.
    pub fn to_internal(&self, x: f64) -> f64 {
        if self.log { x.ln() } else { x }
    }

    pub fn from_internal(&self, u: f64) -> f64 {
        if self.log { u.exp() } else { u }
    }

    fn bounds(&self) -> (f64, f64) {
        (self.to_internal(self.lo), self.to_internal(self.hi))
    }
}

/// How the sampler runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Accepted parameter sets per generation.
    pub particles: usize,
    /// ε_t is this quantile of generation t−1's distances.
    pub quantile: f64,
    /// A generation that needs more than `particles / min_acceptance` proposals is given up
    /// (the sampler has converged as far as the simulation noise allows).
    pub min_acceptance: f64,
    /// ε never goes below this.
    pub tolerance: f64,
    /// The calibration seed.
    pub seed: u64,
}

/// What the simulator returns for one proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulated {
    pub distance: f64,
    /// Whatever the caller wants kept with an accepted particle (the simulated targets).
    pub values: Vec<f64>,
}

/// One accepted parameter set.
#[derive(Clone, Debug, PartialEq)]
pub struct Particle {
    /// Parameters on their natural scale.
    pub theta: Vec<f64>,
    /// Normalized importance weight.
    pub weight: f64,
    pub distance: f64,
    pub values: Vec<f64>,
}

/// One generation of the sampler.
#[derive(Clone, Debug, PartialEq)]
pub struct Generation {
    pub index: u32,
    /// The tolerance its particles met (infinite for generation 0).
    pub epsilon: f64,
    /// Proposals up to and including the last accepted one.
    pub proposals: u64,
    /// Simulations run (proposals, plus the surplus of the last batch).
    pub simulations: u64,
    pub particles: Vec<Particle>,
}

impl Generation {
    pub fn acceptance(&self) -> f64 {
        self.particles.len() as f64 / self.proposals.max(1) as f64
    }

    /// Effective sample size of the weights, 1 / Σ w².
    pub fn ess(&self) -> f64 {
        1.0 / self
            .particles
            .iter()
            .map(|p| p.weight * p.weight)
            .sum::<f64>()
    }

    /// The tolerance the next generation will use.
    pub fn next_epsilon(&self, settings: &Settings) -> f64 {
        let mut d: Vec<f64> = self.particles.iter().map(|p| p.distance).collect();
        d.sort_by(f64::total_cmp);
        crate::stats::quantile(&d, settings.quantile).max(settings.tolerance)
    }

    /// Weighted quantile of parameter `i`.
    pub fn quantile(&self, i: usize, q: f64) -> f64 {
        let pairs: Vec<(f64, f64)> = self
            .particles
            .iter()
            .map(|p| (p.theta[i], p.weight))
            .collect();
        weighted_quantile(&pairs, q)
    }

    /// The particle with the smallest distance (the first of equals).
    pub fn best(&self) -> &Particle {
        self.particles
            .iter()
            .reduce(|a, b| if b.distance < a.distance { b } else { a })
            .expect("a generation has particles")
    }
}

/// The outcome of one generation.
pub enum Step {
    Done(Generation),
    /// `particles / min_acceptance` proposals did not give `particles` acceptances.
    Stalled {
        epsilon: f64,
        proposals: u64,
        accepted: usize,
    },
}

/// The generator of proposal `attempt` of generation `generation`.
pub fn proposal_rng(seed: u64, generation: u32, attempt: u64) -> ChaCha8Rng {
    let key = splitmix64(seed ^ splitmix64(u64::from(generation).wrapping_add(0xabc)));
    let mut rng = ChaCha8Rng::seed_from_u64(key);
    rng.set_stream(attempt);
    rng
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The perturbation kernel built from a generation: the parents' internal coordinates and
/// cumulative weights, and the Cholesky factor of twice their weighted covariance.
struct Kernel {
    parents: Vec<Vec<f64>>,
    weights: Vec<f64>,
    cumulative: Vec<f64>,
    chol: Vec<Vec<f64>>,
}

impl Kernel {
    fn new(prev: &Generation, priors: &[Prior]) -> Kernel {
        let dim = priors.len();
        let parents: Vec<Vec<f64>> = prev
            .particles
            .iter()
            .map(|p| {
                p.theta
                    .iter()
                    .zip(priors)
                    .map(|(x, pr)| pr.to_internal(*x))
                    .collect()
            })
            .collect();
        let weights: Vec<f64> = prev.particles.iter().map(|p| p.weight).collect();
        let mut mean = vec![0.0; dim];
        for (u, w) in parents.iter().zip(&weights) {
            for k in 0..dim {
                mean[k] += w * u[k];
            }
        }
        let mut cov = vec![vec![0.0; dim]; dim];
        for (u, w) in parents.iter().zip(&weights) {
            for a in 0..dim {
                for b in 0..dim {
                    cov[a][b] += 2.0 * w * (u[a] - mean[a]) * (u[b] - mean[b]);
                }
            }
        }
        // A parameter whose particles have all collapsed still gets a small spread.
        for (a, pr) in priors.iter().enumerate() {
            let (lo, hi) = pr.bounds();
            cov[a][a] += 1e-10 * (hi - lo) * (hi - lo);
        }
        let chol = cholesky(&cov);
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut c = 0.0;
        for w in &weights {
            c += w;
            cumulative.push(c);
        }
        Kernel {
            parents,
            weights,
            cumulative,
            chol,
        }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = *self.cumulative.last().expect("parents");
        let u = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c <= u)
            .min(self.parents.len() - 1)
    }

    fn perturb(&self, j: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let dim = self.chol.len();
        let z: Vec<f64> = (0..dim).map(|_| StandardNormal.sample(rng)).collect();
        (0..dim)
            .map(|a| self.parents[j][a] + (0..=a).map(|b| self.chol[a][b] * z[b]).sum::<f64>())
            .collect()
    }

    /// ln Σ_j w_j K(u | u_j), up to a constant common to all u.
    fn log_mixture(&self, u: &[f64]) -> f64 {
        let terms: Vec<f64> = self
            .parents
            .iter()
            .zip(&self.weights)
            .map(|(p, w)| {
                let diff: Vec<f64> = u.iter().zip(p).map(|(a, b)| a - b).collect();
                let y = forward_solve(&self.chol, &diff);
                w.ln() - 0.5 * y.iter().map(|v| v * v).sum::<f64>()
            })
            .collect();
        let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln()
    }
}

/// Lower-triangular L with L Lᵀ = a (a symmetric positive definite; tiny pivots are
/// floored so a nearly singular covariance still gives a usable kernel).
fn cholesky(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                l[i][j] = d.max(a[i][i] * 1e-12).max(f64::MIN_POSITIVE).sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    l
}

fn forward_solve(l: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (b[i] - s) / l[i][i];
    }
    y
}

fn inside(priors: &[Prior], u: &[f64]) -> bool {
    u.iter().zip(priors).all(|(x, p)| {
        let (lo, hi) = p.bounds();
        *x >= lo && *x <= hi
    })
}

/// The fewest proposals simulated in parallel at once (so that many threads stay busy);
/// fixed, so that batches never depend on the number of threads.
const MIN_BATCH: u64 = 48;

/// Runs generation `index` (0: from the prior; otherwise from `previous`). `simulate` gets θ
/// on the natural scale and a seed; `on_accept` is called once per accepted proposal (for a
/// progress bar; it may be called a few times more than `particles`).
pub fn generation(
    settings: &Settings,
    priors: &[Prior],
    previous: Option<&Generation>,
    index: u32,
    simulate: &(dyn Fn(&[f64], u64) -> Simulated + Sync),
    on_accept: &(dyn Fn() + Sync),
) -> Step {
    let n = settings.particles;
    let epsilon = previous.map_or(f64::INFINITY, |p| p.next_epsilon(settings));
    let kernel = previous.map(|p| Kernel::new(p, priors));
    let max_proposals = (n as f64 / settings.min_acceptance).ceil() as u64;
    // Batches aim at about half of the proposals still expected to be needed, so that the
    // surplus simulated beyond the last acceptance stays small; the first guess of the
    // acceptance rate is the previous generation's (an overestimate: ε shrinks).
    let mut rate = previous.map_or(1.0, Generation::acceptance);

    let propose = |attempt: u64| -> (Vec<f64>, Simulated) {
        let mut rng = proposal_rng(settings.seed, index, attempt);
        let u = match &kernel {
            None => priors
                .iter()
                .map(|p| {
                    let (lo, hi) = p.bounds();
                    lo + (hi - lo) * rng.random::<f64>()
                })
                .collect(),
            Some(k) => {
                let mut tries = 0;
                loop {
                    let j = k.pick(&mut rng);
                    let u = k.perturb(j, &mut rng);
                    tries += 1;
                    if inside(priors, &u) || tries >= 10_000 {
                        break if inside(priors, &u) {
                            u
                        } else {
                            k.parents[j].clone()
                        };
                    }
                }
            }
        };
        let theta: Vec<f64> = u
            .iter()
            .zip(priors)
            .map(|(x, p)| p.from_internal(*x).clamp(p.lo, p.hi))
            .collect();
        let sim_seed = rng.random::<u64>();
        let s = simulate(&theta, sim_seed);
        if s.distance.is_finite() && s.distance <= epsilon {
            on_accept();
        }
        (theta, s)
    };

    let mut accepted: Vec<(Vec<f64>, Simulated)> = Vec::with_capacity(n);
    let mut simulations = 0u64;
    let mut proposals = 0u64;
    while accepted.len() < n {
        if simulations >= max_proposals {
            return Step::Stalled {
                epsilon,
                proposals: simulations,
                accepted: accepted.len(),
            };
        }
        let need = (n - accepted.len()) as f64;
        let expected = need / rate.max(settings.min_acceptance);
        let batch = ((if accepted.is_empty() && simulations == 0 {
            expected
        } else {
            expected / 2.0
        })
        .ceil() as u64)
            .max(MIN_BATCH)
            .min(max_proposals - simulations);
        let results: Vec<(Vec<f64>, Simulated)> = (simulations..simulations + batch)
            .into_par_iter()
            .map(propose)
            .collect();
        for (k, (theta, s)) in results.into_iter().enumerate() {
            if accepted.len() < n && s.distance.is_finite() && s.distance <= epsilon {
                accepted.push((theta, s));
                proposals = simulations + k as u64 + 1;
            }
        }
        simulations += batch;
        rate = accepted.len() as f64 / simulations as f64;
    }

    let weights: Vec<f64> = match &kernel {
        None => vec![1.0 / n as f64; n],
        Some(k) => {
            let logw: Vec<f64> = accepted
                .par_iter()
                .map(|(theta, _)| {
                    let u: Vec<f64> = theta
                        .iter()
                        .zip(priors)
                        .map(|(x, p)| p.to_internal(*x))
                        .collect();
                    -k.log_mixture(&u)
                })
                .collect();
            let m = logw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let raw: Vec<f64> = logw.iter().map(|l| (l - m).exp()).collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|w| w / total).collect()
        }
    };
    Step::Done(Generation {
        index,
        epsilon,
        proposals,
        simulations,
        particles: accepted
            .into_iter()
            .zip(weights)
            .map(|((theta, s), weight)| Particle {
                theta,
                weight,
                distance: s.distance,
                values: s.values,
            })
            .collect(),
    })
}

/// Quantile of weighted values: the weights are spread over the sorted values as midpoints
/// of their cumulative mass, and the quantile is interpolated linearly between them.
pub fn weighted_quantile(pairs: &[(f64, f64)], q: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = pairs.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|p| p.1).sum();
    if v.is_empty() || total <= 0.0 {
        return f64::NAN;
    }
    let mut acc = 0.0;
    let mids: Vec<f64> = v
        .iter()
        .map(|p| {
            let m = (acc + p.1 / 2.0) / total;
            acc += p.1;
            m
        })
        .collect();
    if q <= mids[0] {
        return v[0].0;
    }
    for i in 1..v.len() {
        if q <= mids[i] {
            let t = (q - mids[i - 1]) / (mids[i] - mids[i - 1]).max(f64::MIN_POSITIVE);
            return v[i - 1].0 + t * (v[i].0 - v[i - 1].0);
        }
    }
    v[v.len() - 1].0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy model: x ~ Normal(θ, 0.2), observed x = 1; the distance is |x − 1|.
    fn toy(theta: &[f64], seed: u64) -> Simulated {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let z: f64 = StandardNormal.sample(&mut rng);
        let x = theta[0] + 0.2 * z;
        Simulated {
            distance: (x - 1.0).abs(),
            values: vec![x],
        }
    }

    fn settings() -> Settings {
        Settings {
            particles: 300,
            quantile: 0.5,
            min_acceptance: 0.02,
            tolerance: 0.0,
            seed: 7,
        }
    }

    fn run(gens: u32) -> Vec<Generation> {
        let priors = [Prior {
            lo: -5.0,
            hi: 5.0,
            log: false,
        }];
        let mut out: Vec<Generation> = Vec::new();
        for g in 0..gens {
            match generation(&settings(), &priors, out.last(), g, &toy, &|| ()) {
                Step::Done(x) => out.push(x),
                Step::Stalled { .. } => panic!("stalled"),
            }
        }
        out
    }

    #[test]
    fn the_posterior_of_a_normal_mean_concentrates_on_the_observation() {
        let gens = run(6);
        let last = gens.last().unwrap();
        assert!(
            (last.ess() - 1.0 / last.particles.iter().map(|p| p.weight.powi(2)).sum::<f64>()).abs()
                < 1e-9
        );
        let w: f64 = last.particles.iter().map(|p| p.weight).sum();
        assert!((w - 1.0).abs() < 1e-9);
        for g in gens.windows(2) {
            assert!(g[1].epsilon < g[0].epsilon);
        }
        // The exact posterior (flat prior) is Normal(1, 0.2): its 90% interval is
        // [0.67, 1.33]; ABC at a finite tolerance is somewhat wider.
        let (q05, q50, q95) = (
            last.quantile(0, 0.05),
            last.quantile(0, 0.5),
            last.quantile(0, 0.95),
        );
        assert!((q50 - 1.0).abs() < 0.1, "median {q50}");
        assert!(q05 > 0.4 && q05 < 0.8, "q05 {q05}");
        assert!(q95 > 1.2 && q95 < 1.6, "q95 {q95}");
        assert!(last.particles.iter().all(|p| p.distance <= last.epsilon));
    }

    #[test]
    fn the_sample_does_not_depend_on_the_number_of_threads() {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| run(3));
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| run(3));
        assert_eq!(one, three);
    }

    #[test]
    fn weighted_quantiles_interpolate_between_midpoints() {
        let p = [(0.0, 1.0), (1.0, 1.0), (2.0, 2.0)];
        assert_eq!(weighted_quantile(&p, 0.0), 0.0);
        assert_eq!(weighted_quantile(&p, 0.125), 0.0);
        assert_eq!(weighted_quantile(&p, 0.375), 1.0);
        assert!((weighted_quantile(&p, 0.5) - 4.0 / 3.0).abs() < 1e-12);
        assert_eq!(weighted_quantile(&p, 1.0), 2.0);
    }

    #[test]
    fn cholesky_reproduces_its_matrix() {
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let l = cholesky(&a);
        for i in 0..2 {
            for j in 0..2 {
                let s: f64 = (0..2).map(|k| l[i][k] * l[j][k]).sum();
                assert!((s - a[i][j]).abs() < 1e-12);
            }
        }
    }
}
