//! Black-box tests: the real `kefu` binary in temporary workspaces.
//!
//! They drive kefu as a Unix shell would (symbolic links, hook scripts, FIFOs, tmux),
//! so they build on Unix only; on Windows the smoke script checks the binary instead.
#![cfg(unix)]

mod env;

mod bench;
mod big_input;
mod cache;
mod calendar;
mod chinese;
mod close;
mod concurrency;
mod docs;
mod documents;
mod filesystems;
mod friday;
mod git;
mod help;
mod history;
mod hostile;
mod import;
mod lang;
mod layout;
mod reference;
mod restore;
mod rules2;
mod skeleton;
mod snapshots;
mod sync;
mod terminal;
mod trust;
mod workflow;
