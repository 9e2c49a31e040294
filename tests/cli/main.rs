//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod git;
mod skeleton;
mod workflow;
