//! The regulation: the case and its events, the lifecycle rules (which action is
//! allowed, deadlines, escalation, penalties), the configuration, times and the
//! business-hours calendar, and the Friday report's figures. Free of clap, of printing
//! and of files.

pub mod calendar;
pub mod case;
pub mod config;
pub mod parse;
pub mod penalty;
pub mod report;
pub mod rules;
pub mod script;
pub mod time;
