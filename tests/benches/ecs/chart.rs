//! The charts: per scenario group, how many times better ours is than each peer (log scale),
//! and how each operation's cost grows with the cloud. SVG only, drawn with `plotters`.

use std::path::Path;

use plotters::prelude::*;

use crate::report::{Results, Row};

const WIDTH: u32 = 1000;
const ROW_HEIGHT: u32 = 34;

/// Draws every chart into `out`: `<group>.svg` for the ratio groups, `growth.svg`.
pub(crate) fn draw_all(results: &Results, out: &Path) {
    for (group, title) in [
        (
            "peers",
            "Ours vs the alternatives (times better; right of 1 = ours faster)",
        ),
        (
            "jni",
            "Through Java and JNI (times better; right of 1 = ours faster)",
        ),
        (
            "scale",
            "Hourly usage at scale (times faster than per-bucket requests)",
        ),
    ] {
        let rows: Vec<(String, &Row)> = results
            .scenarios
            .iter()
            .filter(|scenario| scenario.group == group)
            .flat_map(|scenario| {
                scenario
                    .rows
                    .iter()
                    .filter(|row| row.ratio.is_some())
                    .map(move |row| (format!("[{}] {}", scenario.id, short(&row.name)), row))
            })
            .collect();
        if !rows.is_empty() {
            ratio_chart(&rows, title, &out.join(format!("{group}.svg")))
                .unwrap_or_else(|err| panic!("draw {group}.svg: {err}"));
        }
    }
    if let Some(growth) = results.scenarios.iter().find(|scenario| scenario.id == 8) {
        growth_chart(&growth.rows, &out.join("growth.svg"))
            .unwrap_or_else(|err| panic!("draw growth.svg: {err}"));
    }
}

fn short(name: &str) -> String {
    const MAX: usize = 64;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Horizontal bars of each row's ratio on a log axis, with the line "as good as the peer".
fn ratio_chart(rows: &[(String, &Row)], title: &str, path: &Path) -> Drawn {
    let height = 90 + ROW_HEIGHT * rows.len() as u32;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let ratios = rows.iter().filter_map(|(_, row)| row.ratio);
    let high = ratios.clone().fold(1.0f64, f64::max) * 2.0;
    let low = ratios.fold(1.0f64, f64::min) / 2.0;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(470)
        .build_cartesian_2d((low..high).log_scale(), (0..rows.len()).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len())
        .y_label_formatter(&|value| match value {
            // The first row at the top.
            SegmentValue::CenterOf(i) => rows
                .len()
                .checked_sub(i + 1)
                .and_then(|k| rows.get(k))
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|x| format!("{x}x"))
        .label_style(("sans-serif", 12))
        .draw()?;
    for (k, (_, row)) in rows.iter().enumerate() {
        let i = rows.len() - 1 - k;
        let ratio = row.ratio.unwrap_or(1.0);
        let color = if ratio >= 1.0 {
            GREEN.mix(0.7)
        } else {
            RED.mix(0.7)
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (low, SegmentValue::Exact(i)),
                (ratio, SegmentValue::Exact(i + 1)),
            ],
            color.filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("{ratio:.2}x"),
            (ratio, SegmentValue::CenterOf(i)),
            ("sans-serif", 12),
        )))?;
    }
    chart.draw_series(LineSeries::new(
        [
            (1.0, SegmentValue::Exact(0)),
            (1.0, SegmentValue::Exact(rows.len())),
        ],
        BLACK.stroke_width(2),
    ))?;
    root.present()?;
    Ok(())
}

/// Cost per operation relative to the smallest cloud, against the cloud's size (log axis).
fn growth_chart(rows: &[Row], path: &Path) -> Drawn {
    // Rows are "<operation>, at <n> <buckets|accounts>"; ratio = first cost / this cost.
    let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for row in rows {
        let Some((operation, at)) = row.name.rsplit_once(", at ") else {
            continue;
        };
        let size: f64 = at
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1.0);
        let relative = row.peer.map_or(1.0, |first| row.ours / first);
        match series.iter_mut().find(|(name, _)| name == operation) {
            Some((_, points)) => points.push((size, relative)),
            None => series.push((operation.to_owned(), vec![(size, relative)])),
        }
    }
    let top = series
        .iter()
        .flat_map(|(_, points)| points.iter().map(|(_, y)| *y))
        .fold(2.5f64, f64::max)
        * 1.1;
    let root = SVGBackend::new(path, (WIDTH, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Cost per operation as the cloud grows (1 = the smallest cloud's cost)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((5f64..20_000f64).log_scale(), 0f64..top)?;
    chart
        .configure_mesh()
        .x_desc("buckets (accounts for provisioning)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_desc("cost per operation, relative")
        .label_style(("sans-serif", 12))
        .draw()?;
    for (index, (name, points)) in series.iter().enumerate() {
        let color = Palette99::pick(index).to_rgba();
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(2),
            ))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
        chart.draw_series(
            points
                .iter()
                .map(|point| Circle::new(*point, 4, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .draw()?;
    root.present()?;
    Ok(())
}
