//! The calibration checkpoint (`checkpoint.json` in the output directory): every finished
//! generation, written atomically after each one, so that `--resume` continues where a run
//! stopped and gives the same bits as an uninterrupted run.
//!
//! Floats are stored as their IEEE-754 bit patterns (u64), because a resumed generation
//! must start from exactly the same numbers. A fingerprint of everything that decides the
//! particles (scenario, targets, priors, sampler settings but the number of generations,
//! seed, program version) guards against resuming with other inputs.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::abc::{Generation, Particle};
use crate::output::write_file_atomically;

/// Why sampling stopped before the planned generations, if it did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stalled {
    pub generation: u32,
    #[serde(with = "bits")]
    pub epsilon: f64,
    pub proposals: u64,
    pub accepted: usize,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    fingerprint: String,
    stalled: Option<Stalled>,
    generations: Vec<Gen>,
}

#[derive(Serialize, Deserialize)]
struct Gen {
    index: u32,
    #[serde(with = "bits")]
    epsilon: f64,
    proposals: u64,
    simulations: u64,
    particles: Vec<P>,
}

#[derive(Serialize, Deserialize)]
struct P {
    #[serde(with = "bits_vec")]
    theta: Vec<f64>,
    #[serde(with = "bits")]
    weight: f64,
    #[serde(with = "bits")]
    distance: f64,
    #[serde(with = "bits_vec")]
    values: Vec<f64>,
}

mod bits {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(x.to_bits())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(f64::from_bits(u64::deserialize(d)?))
    }
}

mod bits_vec {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(x: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(x.iter().map(|v| v.to_bits()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<u64>::deserialize(d)?
            .into_iter()
            .map(f64::from_bits)
            .collect())
    }
}

const FORMAT: u32 = 1;

/// A loaded checkpoint.
pub struct Checkpoint {
    pub fingerprint: String,
    pub stalled: Option<Stalled>,
    pub generations: Vec<Generation>,
}

/// Writes the checkpoint atomically.
pub fn save(
    path: &Path,
    fingerprint: &str,
    generations: &[Generation],
    stalled: Option<&Stalled>,
) -> std::io::Result<()> {
    let file = File {
        format: FORMAT,
        fingerprint: fingerprint.to_string(),
        stalled: stalled.cloned(),
        generations: generations
            .iter()
            .map(|g| Gen {
                index: g.index,
                epsilon: g.epsilon,
                proposals: g.proposals,
                simulations: g.simulations,
                particles: g
                    .particles
                    .iter()
                    .map(|p| P {
                        theta: p.theta.clone(),
                        weight: p.weight,
                        distance: p.distance,
                        values: p.values.clone(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let text = serde_json::to_string(&file).map_err(std::io::Error::other)?;
    write_file_atomically(path, text.as_bytes())
}

/// Reads a checkpoint; the error says what is wrong with the file.
pub fn load(path: &Path) -> Result<Checkpoint, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a calibration checkpoint: {e}", path.display()))?;
    if file.format != FORMAT {
        return Err(format!(
            "{}: checkpoint format {} is not {FORMAT}",
            path.display(),
            file.format
        ));
    }
    Ok(Checkpoint {
        fingerprint: file.fingerprint,
        stalled: file.stalled,
        generations: file
            .generations
            .into_iter()
            .map(|g| Generation {
                index: g.index,
                epsilon: g.epsilon,
                proposals: g.proposals,
                simulations: g.simulations,
                particles: g
                    .particles
                    .into_iter()
                    .map(|p| Particle {
                        theta: p.theta,
                        weight: p.weight,
                        distance: p.distance,
                        values: p.values,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// FNV-1a (64 bit) of the parts, each followed by a separator: a stable fingerprint that
/// needs no extra crate and does not change between program runs.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_to_the_same_bits() {
        let g = Generation {
            index: 2,
            epsilon: 0.1 + 0.2,
            proposals: 17,
            simulations: 20,
            particles: vec![Particle {
                theta: vec![-7.123456789012345, 1e-300],
                weight: 1.0 / 3.0,
                distance: f64::INFINITY,
                values: vec![f64::NAN.copysign(1.0), 53000.25],
            }],
        };
        let dir = std::env::temp_dir().join(format!("relocant-cp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("checkpoint.json");
        save(&path, "abc", std::slice::from_ref(&g), None).unwrap();
        let back = load(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(back.fingerprint, "abc");
        let p = &back.generations[0].particles[0];
        assert_eq!(p.theta[0].to_bits(), g.particles[0].theta[0].to_bits());
        assert_eq!(p.weight.to_bits(), g.particles[0].weight.to_bits());
        assert!(p.values[0].is_nan());
        assert_eq!(back.generations[0].epsilon.to_bits(), g.epsilon.to_bits());
    }

    #[test]
    fn fingerprints_separate_their_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]), fingerprint(&["x"]));
    }
}
