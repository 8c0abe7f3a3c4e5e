use super::*;
use crate::corpus::Role;

fn roles(read: &Extracted) -> Vec<(Role, &str)> {
    read.found
        .blocks
        .iter()
        .map(|b| (b.role, b.text.as_str()))
        .collect()
}

#[test]
fn a_format_is_recognised_by_its_content_not_its_name() {
    assert_eq!(sniff(b"%PDF-1.7\n...", Some("txt")), Format::Pdf);
    assert_eq!(
        sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>", Some("txt")),
        Format::Html
    );
    assert_eq!(sniff(b"<div><p>Hello</p></div>", None), Format::Html);
    assert_eq!(
        sniff(b"---\ntitle: A\n---\nText", Some("txt")),
        Format::Markdown
    );
    assert_eq!(
        sniff(b"Intro\n\n## Section\n\nText", None),
        Format::Markdown
    );
    assert_eq!(
        sniff(b"Plain words.\n\nMore words.", Some("md")),
        Format::Markdown
    );
    assert_eq!(
        sniff(b"Plain words.\n\nMore words.", Some("pdf")),
        Format::Text
    );
    // "#hashtag" and "#1" are no headings.
    assert_eq!(sniff(b"We are #1 in #sales.\n", None), Format::Text);
    let article = std::fs::read("data/russia-pakistan-alliance.txt").unwrap();
    assert_eq!(sniff(&article, Some("txt")), Format::Text);
}

#[test]
fn markdown_gives_headings_paragraphs_items_captions_and_its_front_matter() {
    let md = "---\ntitle: \"Dams of the Indus\"\nauthor: A. Writer\ndate: 2019-05-04T10:00:00Z\n\
              url: https://example.org/dams\n---\n# Dams of the Indus\n\nTarbela was \
              finished in *1976*.\nIt is large.\n\n## Power\n\n- It makes power.\n- It \
              stores water.\n\n![The Tarbela dam seen from the north](t.jpg)\n\n```\ncode();\n```\n";
    let read = markdown::read(md);
    assert_eq!(read.found.title.as_deref(), Some("Dams of the Indus"));
    assert_eq!(read.found.author.as_deref(), Some("A. Writer"));
    assert_eq!(read.published.as_deref(), Some("2019-05-04"));
    assert_eq!(read.url.as_deref(), Some("https://example.org/dams"));
    assert_eq!(
        roles(&read),
        vec![
            (Role::Title, "Dams of the Indus"),
            (Role::Body, "Tarbela was finished in 1976. It is large."),
            (Role::Heading, "Power"),
            (Role::Body, "It makes power."),
            (Role::Body, "It stores water."),
            (Role::Caption, "The Tarbela dam seen from the north"),
        ]
    );
    assert_eq!(read.dropped, ["1 code or HTML block"]);
}

const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Dams of the Indus | A Blog</title>
<meta name="author" content="A. Writer">
<meta property="article:published_time" content="2019-05-04T10:00:00+05:00">
<link rel="canonical" href="https://example.org/dams">
<script>alert("never run")</script></head>
<body><header><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/c">Contact</a></nav></header>
<aside class="sidebar"><h3>Recent posts</h3><ul><li><a href="/x">Another post</a></li></ul></aside>
<article><h1>Dams of the Indus</h1>
<p>Tarbela Dam on the Indus was finished in 1976 and is one of the largest earth-filled dams
in the world, holding water for the farms of Punjab through the dry months of the year.</p>
<figure><img src="t.jpg" alt="The dam"><figcaption>The Tarbela dam seen from the north.</figcaption></figure>
<h2>Power</h2>
<p>Its turbines make a large share of the electricity of Pakistan, and a fifth extension was
begun in 2021 to add more than a thousand megawatts to what the dam already makes.</p>
<p>Mangla Dam on the Jhelum, finished in 1967, is the other great dam of the basin, and it was
raised in 2009 to hold more water for the canals that spread out across the plains.</p>
</article>
<div class="share-buttons"><a href="https://facebook.com/share">Share</a></div>
<div id="comments"><p>Great post!</p><form><textarea></textarea></form></div>
<footer>© 2019 A Blog</footer></body></html>"#;

#[test]
fn a_web_page_gives_its_main_text_and_metadata_without_its_furniture() {
    let read = html::read(PAGE).unwrap();
    assert_eq!(read.published.as_deref(), Some("2019-05-04"));
    assert_eq!(read.url.as_deref(), Some("https://example.org/dams"));
    assert_eq!(read.found.author.as_deref(), Some("A. Writer"));
    let blocks = roles(&read);
    assert!(
        blocks
            .iter()
            .any(|&(r, t)| r == Role::Title && t.contains("Dams of the Indus"))
    );
    assert!(blocks.contains(&(Role::Heading, "Power")), "{blocks:?}");
    assert!(blocks.contains(&(Role::Caption, "The Tarbela dam seen from the north.")));
    assert_eq!(
        blocks.iter().filter(|(r, _)| *r == Role::Body).count(),
        3,
        "{blocks:?}"
    );
    let all: String = blocks.iter().map(|(_, t)| *t).collect();
    for furniture in [
        "Home",
        "Recent posts",
        "Share",
        "Great post",
        "2019 A Blog",
        "alert",
    ] {
        assert!(!all.contains(furniture), "{furniture}: {blocks:?}");
    }
    for left_out in [
        "navigation",
        "sidebar",
        "share block",
        "comment block",
        "footer",
    ] {
        assert!(
            read.dropped.iter().any(|d| d.contains(left_out)),
            "{:?}",
            read.dropped
        );
    }
}

#[test]
fn citation_marks_are_left_out_and_brackets_kept() {
    let page = "<html><head><title>Firefox - Wikipedia</title></head><body><h1>Firefox</h1>\
                <p>The current name, Firefox, was chosen on February 9, 2004.<sup>[49]</sup> It \
                was renamed twice[citation needed] and [in brackets] kept its logo in the year \
                after, when the browser was released to the public as version 1.0.</p>\
                <p>More text follows here about the browser and its many releases over the \
                years since then, with enough words to count as the main text.</p></body></html>";
    let read = html::read(page).unwrap();
    assert_eq!(read.found.title.as_deref(), Some("Firefox"));
    let body = &read.found.blocks[1].text;
    assert!(
        body.contains("February 9, 2004. It was renamed twice and [in brackets]"),
        "{body}"
    );
}

#[test]
fn hostile_pages_are_refused_or_read_within_bounds() {
    let deep = "<div>".repeat(5_000) + "text" + &"</div>".repeat(5_000);
    assert!(html::read(&deep).unwrap_err().contains("nested"));
    let wide = "<p>word</p>".repeat(100_000);
    let _ = html::read(&wide);
    assert!(html::read("<html><body></body></html>").is_err());
}

/// A PDF of one page holding `lines` (Helvetica, 12 pt, a line every 14 pt), its streams
/// uncompressed: what a minimal writer makes.
fn pdf(pages: &[Vec<&str>]) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = String::from("BT /F1 12 Tf 14 TL 72 760 Td\n");
        for line in lines {
            content.push_str(&format!("({line}) Tj T*\n"));
        }
        content.push_str("ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let stream = objects.len();
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {stream} 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>"
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        kids.len()
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn a_pdf_gives_its_text_without_page_furniture() {
    let page = |n: &'static str, body: &'static str| vec!["The Indus Report", "", body, "", n];
    let pages = [
        page(
            "1",
            "Tarbela Dam was finished in 1976 and holds water for the farms.",
        ),
        page(
            "2",
            "Mangla Dam on the Jhelum was finished in 1967 and raised in 2009.",
        ),
        page(
            "3",
            "A fifth extension of Tarbela was begun in 2021 to make more power.",
        ),
    ];
    let read = read(Path::new("indus.pdf"), pdf(&pages), Format::Pdf, None).unwrap();
    let text: Vec<&str> = read.found.blocks.iter().map(|b| b.text.as_str()).collect();
    assert!(
        text.iter().any(|t| t.contains("finished in 1976")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("begun in 2021")), "{text:?}");
    assert!(
        !text.iter().any(|t| *t == "2" || *t == "The Indus Report"),
        "{text:?}"
    );
    assert!(
        read.dropped.iter().any(|d| d.contains("page numbers")),
        "{:?}",
        read.dropped
    );
}

#[test]
fn a_pdf_without_text_a_broken_one_and_a_compression_bomb_are_refused() {
    let empty = pdf(&[vec![]]);
    let err = read(Path::new("scan.pdf"), empty, Format::Pdf, None).unwrap_err();
    assert!(err.to_string().contains("no text layer"), "{err}");
    let err = read(
        Path::new("x.pdf"),
        b"%PDF-1.4\ngarbage".to_vec(),
        Format::Pdf,
        None,
    );
    assert!(err.unwrap_err().to_string().contains("malformed"));
    // 200 MiB of zeros compress to about 200 kB.
    let mut bomb = b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n".to_vec();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..200 {
        std::io::Write::write_all(&mut z, &zeros).unwrap();
    }
    bomb.extend(z.finish().unwrap());
    bomb.extend(b"\nendstream\nendobj\n");
    let err = read(Path::new("bomb.pdf"), bomb, Format::Pdf, None).unwrap_err();
    assert!(err.to_string().contains("expand past"), "{err}");
}

#[test]
fn each_format_has_its_size_limit() {
    let big = vec![b'a'; (Format::Html.max_bytes() + 1) as usize];
    let err = read(Path::new("big.html"), big, Format::Html, None).unwrap_err();
    assert!(matches!(err, DataError::TooLarge { .. }), "{err}");
    assert!(Format::Pdf.max_bytes() > Format::Text.max_bytes());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // 64 cases a test run; PROPTEST_CASES=N for a longer fuzz run.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
        ))]

        /// Any bytes, read as any format: a document or a reason, never a panic.
        #[test]
        fn any_bytes_in_any_format_give_a_document_or_a_reason(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            format in 0..4usize,
        ) {
            let _ = read(Path::new("fuzz"), bytes, Format::ALL[format], None);
        }

        /// A PDF with bytes changed here and there: a document or a reason, never a panic.
        #[test]
        fn a_damaged_pdf_gives_a_document_or_a_reason(
            damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = pdf(&[vec!["Tarbela Dam was finished in 1976.", "It holds water."]]);
            for (at, byte) in damage {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            let _ = read(Path::new("damaged.pdf"), bytes, Format::Pdf, None);
        }

        /// Markup cut anywhere and nested at random: a document or a reason, never a panic.
        #[test]
        fn cut_and_nested_markup_gives_a_document_or_a_reason(
            cut in any::<prop::sample::Index>(),
            nesting in 0..400usize,
        ) {
            let page = "<div>".repeat(nesting) + PAGE;
            let end = cut.index(page.len());
            let end = (0..=end).rev().find(|&e| page.is_char_boundary(e)).unwrap_or(0);
            let cut = page.as_bytes()[..end].to_vec();
            let _ = read(Path::new("cut.html"), cut.clone(), Format::Html, None);
            let _ = read(Path::new("cut.md"), cut, Format::Markdown, None);
        }
    }
}
