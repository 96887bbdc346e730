//! `ecs-s3`: see the crate README.
