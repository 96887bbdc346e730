//! `ecs-sim`: the emulator binary.

fn main() {}
