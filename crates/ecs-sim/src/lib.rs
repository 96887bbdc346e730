//! `ecs-sim`: a stateful emulator of Dell ECS (management REST API and S3).

pub mod data;
