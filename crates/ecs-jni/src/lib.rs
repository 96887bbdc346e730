//! `ecs-jni`: see the crate README.
