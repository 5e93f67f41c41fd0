//! The baseline of the CLI's speed target: the `csv` crate merely parsing a file (every
//! field of every record visited), nothing scored. Run on the same file as `alliance score`
//! (without a file it parses the bundled sample):
//!
//! ```sh
//! cargo run --release -p alliance-cli --example csv_parse_only -- study.csv
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source: Box<dyn std::io::Read> = match std::env::args().nth(1) {
        Some(path) => Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(path)?,
        )),
        None => Box::new(alliance::sample::CASELOAD_CSV.as_bytes()),
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(source);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        bytes += record.iter().map(|f| f.len() as u64).sum::<u64>();
    }
    println!("{rows} records, {bytes} field bytes");
    Ok(())
}
