//! The baseline of the CLI's speed target: the `csv` crate merely parsing a file (every
//! field of every record visited), nothing scored. Run on the same file as `alliance score`:
//!
//! ```sh
//! cargo run --release -p alliance-cli --example csv_parse_only -- study.csv
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: csv_parse_only FILE")?;
    let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        bytes += record.iter().map(|f| f.len() as u64).sum::<u64>();
    }
    println!("{rows} records, {bytes} field bytes");
    Ok(())
}
