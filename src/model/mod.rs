//! The simulation core (ODD "Overview" and "Submodels"): agents, ties, the world and the
//! daily step. It does no IO and holds no global state; randomness comes only from the
//! generator it is handed.

pub mod agents;
pub mod observe;
pub mod population;
pub mod step;
pub mod ties;
pub mod world;
