//! Prints the text xxgk reads a report file as (HTML flattened into lines and `|` rows).
fn main() {
    for arg in std::env::args().skip(1) {
        match xxgk::ingest::text_of(std::path::Path::new(&arg)) {
            Ok(text) => print!("{text}"),
            Err(e) => eprintln!("xxgk: error: {e}"),
        }
    }
}
