//! `ecs-driver`: see the crate README.
