//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod bench;
mod cache;
mod friday;
mod git;
mod import;
mod prompt;
mod skeleton;
mod workflow;
