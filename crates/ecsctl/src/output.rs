//! What a command prints: text for people, JSON for scripts, and plain column tables.

use std::fmt::Write as _;

/// A command's result, in both forms; `main` prints the one asked for.
#[derive(Debug)]
pub(crate) struct Output {
    /// Text for a terminal, ending with a newline.
    pub(crate) human: String,
    /// The same facts as JSON.
    pub(crate) json: serde_json::Value,
    /// Whether the command's verdict was success (decides the exit code).
    pub(crate) ok: bool,
}

impl Output {
    /// A successful result.
    pub(crate) fn ok(human: String, json: serde_json::Value) -> Self {
        Output {
            human,
            json,
            ok: true,
        }
    }
}

/// Formats rows as left-aligned columns under a header, two spaces apart.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|title| title.len()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|title| (*title).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out
}

/// Bytes in the largest binary unit that keeps the number at least 1 (`1.5 KiB`).
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    // Precision loss above 2^53 bytes only affects digits that are not shown.
    #[allow(clippy::cast_precision_loss)]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `yes` / `no`, for table cells.
pub(crate) fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let text = table(
            &["NAME", "SIZE"],
            &[
                vec!["a-long-name".into(), "1".into()],
                vec!["b".into(), "22".into()],
            ],
        );
        assert_eq!(text, "NAME         SIZE\na-long-name  1\nb            22\n");
    }

    #[test]
    fn bytes_are_shown_in_binary_units() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }
}
