//! Parquet copies of result tables (`--format parquet|both`), for pandas, polars and R's
//! arrow. One mechanism for every table: the CSV text relocant writes is converted with the
//! column types of the data dictionary (`dictionary::describe`: integer → INT64, number →
//! DOUBLE, date → INT32 DATE, boolean → BOOLEAN, text → UTF-8), every column optional (an
//! empty cell is a null), so the Parquet file holds exactly the CSV's values. Snappy
//! compression; a row group per `ROWS_PER_GROUP` rows, or per part when several files make
//! one table (a sweep's daily series: one row group per run).

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{Type, TypePtr};

use super::atomic::AtomicFile;
use super::dictionary::describe;
use crate::calendar::Date;
use crate::sweep::results::split_csv;

/// Rows per row group of a single-file table.
const ROWS_PER_GROUP: usize = 200_000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Int,
    Float,
    Date,
    Bool,
    Text,
}

fn kind_of(file: &str, column: &str) -> Kind {
    match describe(file, column).map(|f| f.kind) {
        Some("integer") => Kind::Int,
        Some("number") => Kind::Float,
        Some("date") => Kind::Date,
        Some("boolean") => Kind::Bool,
        _ => Kind::Text,
    }
}

fn bad(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

fn pq(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e.to_string())
}

/// The Parquet schema of a CSV header: one optional column per CSV column, typed from the
/// data dictionary (names as written, dots included).
fn schema(file: &str, header: &[String]) -> io::Result<(Vec<Kind>, TypePtr)> {
    let kinds: Vec<Kind> = header.iter().map(|c| kind_of(file, c)).collect();
    let mut fields = Vec::with_capacity(header.len());
    for (c, k) in header.iter().zip(&kinds) {
        let (physical, logical) = match k {
            Kind::Int => (PhysicalType::INT64, None),
            Kind::Float => (PhysicalType::DOUBLE, None),
            Kind::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
            Kind::Bool => (PhysicalType::BOOLEAN, None),
            Kind::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
        };
        let t = Type::primitive_type_builder(c, physical)
            .with_repetition(Repetition::OPTIONAL)
            .with_logical_type(logical)
            .build()
            .map_err(pq)?;
        fields.push(Arc::new(t));
    }
    let root = Type::group_type_builder("relocant")
        .with_fields(fields)
        .build()
        .map_err(pq)?;
    Ok((kinds, Arc::new(root)))
}

/// Days since 1970-01-01 of an ISO date.
fn epoch_days(s: &str) -> Option<i32> {
    let d = Date::parse(s)?;
    let epoch = Date::new(1970, 1, 1)?;
    i32::try_from(epoch.days_until(d)).ok()
}

/// Writes the rows of one row group, column by column.
fn write_group<W: io::Write + Send>(
    w: &mut SerializedFileWriter<W>,
    kinds: &[Kind],
    rows: &[Vec<String>],
    file: &str,
) -> io::Result<()> {
    let mut rg = w.next_row_group().map_err(pq)?;
    let mut c = 0;
    while let Some(mut col) = rg.next_column().map_err(pq)? {
        let cells = rows.iter().map(|r| r.get(c).map_or("", String::as_str));
        let levels: Vec<i16> = cells.clone().map(|x| i16::from(!x.is_empty())).collect();
        let present = cells.filter(|x| !x.is_empty());
        let parse_err = |x: &str| {
            bad(format!(
                "{file}: `{x}` in column {} is not of its type",
                c + 1
            ))
        };
        match kinds[c] {
            Kind::Int => {
                let v = present
                    .map(|x| x.parse::<i64>().map_err(|_| parse_err(x)))
                    .collect::<io::Result<Vec<_>>>()?;
                col.typed::<Int64Type>()
                    .write_batch(&v, Some(&levels), None)
            }
            Kind::Float => {
                let v = present
                    .map(|x| x.parse::<f64>().map_err(|_| parse_err(x)))
                    .collect::<io::Result<Vec<_>>>()?;
                col.typed::<DoubleType>()
                    .write_batch(&v, Some(&levels), None)
            }
            Kind::Date => {
                let v = present
                    .map(|x| epoch_days(x).ok_or_else(|| parse_err(x)))
                    .collect::<io::Result<Vec<_>>>()?;
                col.typed::<Int32Type>()
                    .write_batch(&v, Some(&levels), None)
            }
            Kind::Bool => {
                let v = present
                    .map(|x| x.parse::<bool>().map_err(|_| parse_err(x)))
                    .collect::<io::Result<Vec<_>>>()?;
                col.typed::<BoolType>().write_batch(&v, Some(&levels), None)
            }
            Kind::Text => {
                let v: Vec<ByteArray> = present.map(ByteArray::from).collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&v, Some(&levels), None)
            }
        }
        .map_err(pq)?;
        col.close().map_err(pq)?;
        c += 1;
    }
    rg.close().map_err(pq)?;
    Ok(())
}

/// Rows of CSV text (a quoted cell may not span lines in relocant's files).
fn rows_of(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap_or(""));
    let rows = lines.filter(|l| !l.is_empty()).map(split_csv).collect();
    (header, rows)
}

/// Writes `out` (atomically) from CSV parts that share one header: the table `file` (a path
/// relative to its result directory, for the column types), one row group per part, or
/// per `ROWS_PER_GROUP` rows when there is one part.
pub fn write_parts(
    file: &str,
    parts: &mut dyn Iterator<Item = io::Result<String>>,
    out: &Path,
) -> io::Result<()> {
    let mut writer: Option<(SerializedFileWriter<AtomicFile>, Vec<String>, Vec<Kind>)> = None;
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("relocant {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    for part in parts {
        let (header, rows) = rows_of(&part?);
        if writer.is_none() {
            let (kinds, s) = schema(file, &header)?;
            let w = SerializedFileWriter::new(AtomicFile::create(out)?, s, props.clone())
                .map_err(pq)?;
            writer = Some((w, header.clone(), kinds));
        }
        let (w, first, kinds) = writer.as_mut().expect("made above");
        if header != *first {
            return Err(bad(format!("{file}: parts with different columns")));
        }
        for chunk in rows.chunks(ROWS_PER_GROUP) {
            write_group(w, kinds, chunk, file)?;
        }
        if rows.is_empty() {
            write_group(w, kinds, &[], file)?;
        }
    }
    match writer {
        Some((w, _, _)) => w.into_inner().map_err(pq)?.commit(),
        None => Err(bad(format!("{file}: no rows to write"))),
    }
}

/// Writes `out` from one CSV table's text.
pub fn write_table(file: &str, csv: &str, out: &Path) -> io::Result<()> {
    write_parts(file, &mut std::iter::once(Ok(csv.to_string())), out)
}

/// The column names of a Parquet file (from its footer).
pub fn column_names(path: &Path) -> io::Result<Vec<String>> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let r = SerializedFileReader::new(File::open(path)?).map_err(pq)?;
    Ok(r.metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect())
}

/// Reads a Parquet file back as CSV-like rows of text (tests and checks): the header and
/// each row's cells, nulls as empty cells, dates as ISO dates.
pub fn read_as_text(path: &Path) -> io::Result<(Vec<String>, Vec<Vec<String>>)> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let r = SerializedFileReader::new(File::open(path)?).map_err(pq)?;
    let header: Vec<String> = r
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut rows = Vec::new();
    for row in r.get_row_iter(None).map_err(pq)? {
        let row = row.map_err(pq)?;
        let epoch = Date::new(1970, 1, 1).expect("a valid date");
        rows.push(
            row.get_column_iter()
                .map(|(_, f)| match f {
                    Field::Null => String::new(),
                    Field::Long(x) => x.to_string(),
                    Field::Double(x) => x.to_string(),
                    Field::Bool(x) => x.to_string(),
                    Field::Str(s) => s.clone(),
                    Field::Date(d) => epoch.add_days(i64::from(*d)).to_string(),
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    Ok((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_with_the_csv_values_nulls_and_dates() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("summary.parquet");
        let csv = "replicate,arrived,share_integrated\n0,440000,0.0661\n1,,NaN\n";
        write_table("summary.csv", csv, &out).unwrap();
        let (header, rows) = read_as_text(&out).unwrap();
        assert_eq!(header, ["replicate", "arrived", "share_integrated"]);
        assert_eq!(rows[0], ["0", "440000", "0.0661"]);
        assert_eq!(rows[1], ["1", "", "NaN"]);
        let out = dir.path().join("events.parquet");
        write_table(
            "events.csv",
            "date,label\n2023-01-27,\"ban, border runs\"\n",
            &out,
        )
        .unwrap();
        assert_eq!(
            read_as_text(&out).unwrap().1,
            [["2023-01-27", "ban, border runs"]]
        );
        // A value that is not of its column's type is an error, and nothing is left.
        let out = dir.path().join("bad.parquet");
        assert!(write_table("summary.csv", "replicate\nx\n", &out).is_err());
        assert!(!out.exists());
    }
}
