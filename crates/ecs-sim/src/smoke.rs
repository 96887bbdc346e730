//! The `--smoke` scenario: starts an emulator on free ports and drives it over real HTTP.

/// Placeholder replaced below.
pub fn placeholder() {}
