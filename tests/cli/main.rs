//! Black-box tests: the real `kefu` binary in temporary workspaces.

mod env;

mod import;
mod skeleton;
mod workflow;
