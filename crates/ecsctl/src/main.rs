//! `ecsctl`: the operator tool.

fn main() {}
