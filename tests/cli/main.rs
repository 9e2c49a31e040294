//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod bench;
mod cache;
mod concurrency;
mod docs;
mod friday;
mod git;
mod history;
mod hostile;
mod import;
mod prompt;
mod skeleton;
mod trust;
mod workflow;
