//! The timeline as a picture: dated events on a time axis, drawn with tiny-skia and labelled
//! with glyphs of the bundled DejaVu Sans (ab_glyph), so no system font is needed.
//!
//! Up to [`LABELLED_MAX`] events get a row each: a dot for a day, a bar for a month, a year, a
//! decade or an interval, and the event's date and text beside it. More events are packed
//! into thin lanes without labels (the list beside the picture names them). The axis spans the
//! filtered range when the timeline was filtered, otherwise the events' own.

use std::collections::HashMap;
use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Transform};

use crate::corpus::date::{Date, DayKey, OPEN_END, OPEN_START, recognise};
use crate::search::TimelineEvent;

/// The picture's width; its height follows from the number of rows.
pub const WIDTH: u32 = 800;
/// Events drawn one row each, with their labels.
pub const LABELLED_MAX: usize = 40;
const ROW: f32 = 26.0;
const LANE: f32 = 7.0;
/// Lanes of unlabelled events at most; later ones share the last lane.
const LANES_MAX: usize = 120;
const MARGIN: f32 = 20.0;
const TITLE_SIZE: f32 = 22.0;
const LABEL_SIZE: f32 = 16.0;
const TICK_SIZE: f32 = 15.0;
/// Where the axis line is, below the title.
const AXIS_Y: f32 = 74.0;
const ROWS_Y: f32 = AXIS_Y + 14.0;

static FONT: LazyLock<FontRef<'static>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("../../../assets/DejaVuSans.ttf"))
        .expect("the bundled font parses")
});

const INK: [u8; 3] = [0x11, 0x18, 0x27];
const MUTED: [u8; 3] = [0x6b, 0x72, 0x80];
const GRID: [u8; 3] = [0xe5, 0xe7, 0xeb];
const BAR: [u8; 3] = [0x3b, 0x82, 0xf6];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The events on a time axis as a PNG, titled with what was asked (`topic`) and spanning
/// `from`–`to` when given. `None` when there is nothing to draw.
pub fn png(
    events: &[TimelineEvent],
    from: Option<Date>,
    to: Option<Date>,
    topic: &str,
) -> Option<Vec<u8>> {
    // An open end ("since 2010") runs to the edge of the axis; the axis itself is set by the
    // ends that are known.
    let ends: Vec<(&TimelineEvent, Option<f64>, Option<f64>)> = events
        .iter()
        .map(|e| (e, year_of(e.date.lo()), year_of(e.date.hi())))
        .collect();
    let known: Vec<(&TimelineEvent, f64, f64)> = ends
        .iter()
        .filter_map(|&(e, lo, hi)| Some((e, lo.or(hi)?, hi.or(lo)?)))
        .collect();
    if known.is_empty() {
        return None;
    }
    let (start, end) = axis_range(&known, from, to);
    let axis = Axis { start, end };
    let mut dated: Vec<(&TimelineEvent, f64, f64)> = ends
        .iter()
        .filter(|(_, lo, hi)| lo.is_some() || hi.is_some())
        .map(|&(e, lo, hi)| (e, lo.unwrap_or(start), hi.unwrap_or(end)))
        .collect();
    dated.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)));
    // The years named in the title: the filter's, or the events' own.
    let first = from
        .and_then(|d| year_of(d.lo()))
        .unwrap_or_else(|| known.iter().map(|k| k.1).fold(f64::INFINITY, f64::min));
    let last = to
        .and_then(|d| year_of(d.hi()))
        .unwrap_or_else(|| known.iter().map(|k| k.2).fold(f64::NEG_INFINITY, f64::max));
    let labelled = dated.len() <= LABELLED_MAX;
    let lanes = if labelled {
        Vec::new()
    } else {
        pack(&dated, start, end)
    };
    let body = if labelled {
        dated.len() as f32 * ROW
    } else {
        lane_count(&lanes) as f32 * LANE + 30.0
    };
    let height = (ROWS_Y + body + MARGIN) as u32;
    let mut pixmap = Pixmap::new(WIDTH, height)?;
    pixmap.fill(Color::WHITE);
    let mut canvas = Canvas { pixmap };
    let title = title(topic, dated.len(), first, last);
    canvas.text(
        MARGIN,
        30.0,
        &fitted(&title, TITLE_SIZE, ROOM),
        TITLE_SIZE,
        INK,
    );
    canvas.axis(&axis, height);
    if labelled {
        for (row, event) in dated.iter().enumerate() {
            canvas.labelled(row, *event, &axis);
        }
    } else {
        canvas.lanes(&dated, &lanes, &axis);
    }
    encode(&canvas.pixmap)
}

/// The width of the plot, between the margins.
const ROOM: f32 = WIDTH as f32 - 2.0 * MARGIN;

/// The years the axis spans.
struct Axis {
    start: f64,
    end: f64,
}

impl Axis {
    /// Where a year stands on the picture.
    fn x_of(&self, year: f64) -> f32 {
        let plot = f64::from(WIDTH) - 2.0 * f64::from(MARGIN);
        (f64::from(MARGIN) + (year - self.start) / (self.end - self.start) * plot) as f32
    }
}

/// The lanes the unlabelled events take.
fn lane_count(lanes: &[usize]) -> usize {
    lanes.iter().copied().max().map_or(1, |l| l + 1)
}

/// The title: what was asked, how many events, over which years.
fn title(topic: &str, events: usize, first: f64, last: f64) -> String {
    let what = if topic.trim().is_empty() {
        "Timeline".to_string()
    } else {
        format!("Timeline: {}", topic.trim())
    };
    let count = if events == 1 {
        "1 event".to_string()
    } else {
        format!("{events} events")
    };
    let years = if first.floor() == last.floor() {
        format!("{}", first.floor() as i64)
    } else {
        format!("{}–{}", first.floor() as i64, last.floor() as i64)
    };
    format!("{what} — {count}, {years}")
}

/// The picture as a small PNG: opaque (no alpha), one byte a pixel with a palette of its 256
/// most used colours (a chart has few; the rarer shades of antialiased edges take the nearest
/// one), best compression. About a sixth of tiny-skia's RGBA encoding.
fn encode(pixmap: &Pixmap) -> Option<Vec<u8>> {
    let pixels: Vec<[u8; 3]> = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    for p in &pixels {
        *counts.entry(*p).or_default() += 1;
    }
    let mut by_use: Vec<([u8; 3], usize)> = counts.into_iter().collect();
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = by_use.iter().take(256).map(|(c, _)| *c).collect();
    let nearest = |c: &[u8; 3]| -> u8 {
        let distance = |p: &[u8; 3]| -> i32 {
            (0..3)
                .map(|i| (i32::from(c[i]) - i32::from(p[i])).pow(2))
                .sum()
        };
        let best = (0..palette.len())
            .min_by_key(|&i| distance(&palette[i]))
            .unwrap_or(0);
        u8::try_from(best).unwrap_or(0)
    };
    let index: HashMap<[u8; 3], u8> = by_use.iter().map(|(c, _)| (*c, nearest(c))).collect();
    let indexed: Vec<u8> = pixels
        .iter()
        .map(|p| index.get(p).copied().unwrap_or(0))
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_palette(palette.concat());
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&indexed).ok()?;
    writer.finish().ok()?;
    Some(out)
}

/// An event's text without the date it opens with ("June 15, 2015 General …"): the label
/// shows the date already.
fn undated(text: &str) -> &str {
    match recognise(text).first() {
        Some(m) if m.start <= 3 => text[m.end..].trim_start_matches([',', ' ', ':']),
        _ => text,
    }
}

/// A day key as a fractional year; `None` for an open end.
fn year_of(key: DayKey) -> Option<f64> {
    if key == OPEN_START || key == OPEN_END {
        return None;
    }
    // Euclidean division: a year before AD 1 is negative, its month and day are not.
    let (y, m, d) = (
        key.div_euclid(10_000),
        key.div_euclid(100).rem_euclid(100),
        key.rem_euclid(100),
    );
    Some(y as f64 + (m as f64 - 1.0) / 12.0 + (d as f64 - 1.0) / 366.0)
}

/// The years the axis spans: the filter's when given, the events' otherwise, with a margin
/// and at least two years.
fn axis_range(
    dated: &[(&TimelineEvent, f64, f64)],
    from: Option<Date>,
    to: Option<Date>,
) -> (f64, f64) {
    let lo = dated.iter().map(|d| d.1).fold(f64::INFINITY, f64::min);
    let hi = dated.iter().map(|d| d.2).fold(f64::NEG_INFINITY, f64::max);
    let start = from.and_then(|d| year_of(d.lo())).unwrap_or(lo).min(lo);
    let end = to.and_then(|d| year_of(d.hi())).unwrap_or(hi).max(hi);
    let span = (end - start).max(2.0);
    let mid = (start + end) / 2.0;
    let (start, end) = (mid - span / 2.0, mid + span / 2.0);
    let pad = span * 0.03;
    ((start - pad).floor(), (end + pad).ceil())
}

/// Years between ticks, so that about eight fit.
fn tick_step(span: f64) -> f64 {
    [
        1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
    ]
    .into_iter()
    .find(|step| span / step <= 9.0)
    .unwrap_or(1000.0)
}

/// The lane of each event when they are too many to label: the first lane where it does not
/// touch the one before it.
fn pack(dated: &[(&TimelineEvent, f64, f64)], start: f64, end: f64) -> Vec<usize> {
    let px = |year: f64| (year - start) / (end - start) * f64::from(WIDTH);
    let mut lane_ends: Vec<f64> = Vec::new();
    dated
        .iter()
        .map(|(_, lo, hi)| {
            let (a, b) = (px(*lo), px(*hi).max(px(*lo) + 8.0));
            let lane = lane_ends
                .iter()
                .position(|&e| e + 2.0 <= a)
                .unwrap_or(lane_ends.len())
                .min(LANES_MAX - 1);
            match lane_ends.get_mut(lane) {
                Some(e) => *e = e.max(b),
                None => lane_ends.push(b),
            }
            lane
        })
        .collect()
}

/// `text` cut with "…" to fit in `room` pixels at `size`.
fn fitted(text: &str, size: f32, room: f32) -> String {
    if width(text, size) <= room {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && width(&format!("{cut}…"), size) > room {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

fn width(text: &str, size: f32) -> f32 {
    let font = FONT.as_scaled(PxScale::from(size));
    let mut last = None;
    let mut w = 0.0;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = last {
            w += font.kern(prev, id);
        }
        w += font.h_advance(id);
        last = Some(id);
    }
    w
}

struct Canvas {
    pixmap: Pixmap,
}

impl Canvas {
    /// The axis: a tick and a grid line at each step of years that fits.
    fn axis(&mut self, axis: &Axis, height: u32) {
        self.rect(MARGIN, AXIS_Y, ROOM, 1.5, MUTED);
        let step = tick_step(axis.end - axis.start);
        let mut tick = (axis.start / step).ceil() * step;
        while tick <= axis.end {
            let x = axis.x_of(tick);
            self.rect(x, AXIS_Y + 1.5, 1.0, height as f32 - AXIS_Y - MARGIN, GRID);
            self.rect(x - 0.5, AXIS_Y - 5.0, 1.5, 5.0, MUTED);
            let label = format!("{}", tick as i64);
            let w = width(&label, TICK_SIZE);
            let lx = (x - w / 2.0).clamp(0.0, WIDTH as f32 - w);
            self.text(lx, AXIS_Y - 10.0, &label, TICK_SIZE, MUTED);
            tick += step;
        }
    }

    /// One event on a row of its own, with its date and text beside its mark.
    fn labelled(&mut self, row: usize, (event, lo, hi): (&TimelineEvent, f64, f64), axis: &Axis) {
        let mid = ROWS_Y + row as f32 * ROW + ROW / 2.0;
        let (x0, x1) = self.mark(axis.x_of(lo), axis.x_of(hi), mid, 10.0);
        let label = format!("{}  {}", event.date, undated(&event.text));
        let right = WIDTH as f32 - MARGIN - (x1 + 8.0);
        let left = x0 - 8.0 - MARGIN;
        let baseline = mid + LABEL_SIZE * 0.36;
        if right.max(left) < WIDTH as f32 / 4.0 {
            // A bar across most of the axis: the label goes over it, on a white ground. Short
            // enough that the bar still shows beyond it.
            let label = fitted(&label, LABEL_SIZE, ROOM - 140.0);
            let w = width(&label, LABEL_SIZE);
            let x = (x0.max(MARGIN) + 16.0).min(WIDTH as f32 - MARGIN - w);
            self.rect(x - 6.0, mid - ROW / 2.0 + 3.0, w + 12.0, ROW - 6.0, WHITE);
            self.text(x, baseline, &label, LABEL_SIZE, INK);
        } else if width(&label, LABEL_SIZE) <= right || right >= left {
            let label = fitted(&label, LABEL_SIZE, right);
            self.text(x1 + 8.0, baseline, &label, LABEL_SIZE, INK);
        } else {
            let label = fitted(&label, LABEL_SIZE, left);
            let w = width(&label, LABEL_SIZE);
            self.text(x0 - 8.0 - w, baseline, &label, LABEL_SIZE, INK);
        }
    }

    /// Too many events to label: each a thin mark in its lane, and a note below.
    fn lanes(&mut self, dated: &[(&TimelineEvent, f64, f64)], lanes: &[usize], axis: &Axis) {
        for ((_, lo, hi), lane) in dated.iter().zip(lanes) {
            let mid = ROWS_Y + *lane as f32 * LANE + LANE / 2.0;
            self.mark(axis.x_of(*lo), axis.x_of(*hi), mid, LANE - 2.0);
        }
        let note = "Too many events to label: ask for a narrower range or a topic.";
        let y = ROWS_Y + lane_count(lanes) as f32 * LANE + 22.0;
        self.text(
            MARGIN,
            y,
            &fitted(note, LABEL_SIZE, ROOM),
            LABEL_SIZE,
            MUTED,
        );
    }

    fn paint(color: [u8; 3], anti_alias: bool) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(color[0], color[1], color[2], 255);
        paint.anti_alias = anti_alias;
        paint
    }

    /// An axis-aligned rectangle, kept inside the picture (whole pixels: no smoothing needed).
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: [u8; 3]) {
        let (max_x, max_y) = (self.pixmap.width() as f32, self.pixmap.height() as f32);
        let (x0, y0) = (x.round().clamp(0.0, max_x), y.round().clamp(0.0, max_y));
        let x1 = (x + w).round().max(x0 + 1.0).min(max_x);
        let y1 = (y + h).round().max(y0 + 1.0).min(max_y);
        if let Some(rect) = Rect::from_ltrb(x0, y0, x1, y1) {
            self.pixmap.fill_rect(
                rect,
                &Self::paint(color, false),
                Transform::identity(),
                None,
            );
        }
    }

    /// An event at `x0`–`x1` on the line `mid`: a bar when it spans a few pixels, a dot
    /// otherwise. Returns the horizontal extent drawn.
    fn mark(&mut self, x0: f32, x1: f32, mid: f32, thickness: f32) -> (f32, f32) {
        let r = thickness / 2.0;
        if x1 - x0 >= thickness {
            self.rect(x0, mid - r, x1 - x0, thickness, BAR);
            return (x0, x1);
        }
        let x = (x0 + x1) / 2.0;
        if let Some(dot) = PathBuilder::from_circle(x, mid, r) {
            self.pixmap.fill_path(
                &dot,
                &Self::paint(BAR, true),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        (x - r, x + r)
    }

    /// `text` with its baseline at `y`, from `x`, blending each glyph's coverage into the
    /// (opaque) picture.
    fn text(&mut self, x: f32, y: f32, text: &str, size: f32, color: [u8; 3]) {
        let scale = PxScale::from(size);
        let font = FONT.as_scaled(scale);
        let (w, h) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        let pixels = self.pixmap.data_mut();
        let mut caret = x;
        let mut last = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(prev) = last {
                caret += font.kern(prev, id);
            }
            last = Some(id);
            let glyph = id.with_scale_and_position(scale, point(caret, y));
            caret += font.h_advance(id);
            let Some(outline) = FONT.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                if px < 0 || py < 0 || px >= w || py >= h {
                    return;
                }
                let at = ((py * w + px) * 4) as usize;
                let c = coverage.clamp(0.0, 1.0);
                for (channel, ink) in pixels[at..at + 3].iter_mut().zip(color) {
                    *channel = (f32::from(*channel) * (1.0 - c) + f32::from(ink) * c).round() as u8;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests;
