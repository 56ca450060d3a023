//! relocant: an agent-based simulation of temporary migration from Russia to Kazakhstan
//! after the mobilization of 2022-09-21. See ARCHITECTURE.md for a map of the code.

pub mod calendar;
pub mod calibrate;
pub mod cli;
pub mod command;
pub mod engine;
pub mod model;
pub mod output;
pub mod plot;
pub mod progress;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod table;
