//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod skeleton;
mod workflow;
