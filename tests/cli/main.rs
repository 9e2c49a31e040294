//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod cache;
mod concurrency;

mod friday;
mod git;
mod hostile;
mod skeleton;
mod workflow;
