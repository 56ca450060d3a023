//! The simulation core (ODD "Overview" and "Submodels"): agents, ties, the world, the
//! daily schedule (`step`) and one file per process, each with its parameters. It does no
//! IO and holds no global state; randomness comes only from the generator it is handed.

pub mod agents;
pub mod observe;
pub mod params;
pub mod population;
pub mod step;
pub mod ties;
pub mod world;

// Processes, in the order of the day (docs/MODEL.md §7).
pub mod decision;
pub mod housing;
pub mod integration;
pub mod labour;
pub mod legal;
pub mod mobility;
pub mod money;
pub mod online;
pub mod rvp;
pub mod ties_help;
pub mod wellbeing;

#[cfg(test)]
mod testkit;
