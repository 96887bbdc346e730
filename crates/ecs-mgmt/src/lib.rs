//! `ecs-mgmt`: see the crate README.
