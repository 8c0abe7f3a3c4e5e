fn main() {
    let c = dossier::corpus::load(std::path::Path::new("data")).unwrap();
    for d in &c.documents {
        println!("{} | {} | {:?}", d.id, d.title, d.author);
        for p in &d.paragraphs {
            println!(
                "[{} {:?}] h={:?} :: {}",
                p.number,
                p.role,
                p.heading,
                &p.text[..p.text.len().min(90)]
            );
            for s in &p.sentences {
                if !s.dates.is_empty() {
                    println!(
                        "     dates {:?}",
                        s.dates.iter().map(|d| d.edtf()).collect::<Vec<_>>()
                    );
                }
            }
        }
        for e in &d.events {
            println!("EVENT {} p{} :: {}", e.date.edtf(), e.paragraph, e.text);
        }
    }
}
