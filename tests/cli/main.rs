//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod bench;
mod skeleton;
mod workflow;
