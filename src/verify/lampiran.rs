//! `lampiran-berita-acara.xlsx`: the Berita Acara's table and its three attachments as a workbook
//! the verifier can filter and sort: every finding by chapter and table, the row accounting of
//! every input sheet, and every input with its SHA-256 beside the Renstra PDF's.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};

use super::{AkuntansiLembar, BeritaAcara, BerkasDiperiksa, CakupanAturan, Kesesuaian};
use crate::export::ExportError;

fn header(sheet: &mut Worksheet, names: &[&str], widths: &[f64]) -> Result<Vec<f64>, ExportError> {
    let bold = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    for (c, (name, width)) in names.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(widths.to_vec())
}

/// The paper and the unit's name, for every sheet's page setup.
#[derive(Clone, Copy)]
pub struct Printing<'a> {
    /// The paper the unit prints on.
    pub paper: crate::config::Kertas,
    /// The unit's name, in the footer.
    pub unit: &'a str,
}

/// Page setup of a lampiran sheet (see [`crate::export::print`]): its header row repeated,
/// orientation and scale from its widths, footer; and the height each of its rows needs.
fn finish(
    sheet: &mut Worksheet,
    widths: &[f64],
    rows: &[Vec<String>],
    printing: Printing,
) -> Result<(), ExportError> {
    use crate::export::print;
    for (i, cells) in rows.iter().enumerate() {
        let texts = cells.iter().map(String::as_str).zip(widths.iter().copied());
        if let Some(height) = print::row_height(texts) {
            sheet.set_row_height(1 + i as u32, height)?;
        }
    }
    let layout = print::Layout {
        widths,
        last_row: rows.len() as u32,
        header_rows: Some((0, 0)),
        naming_columns: 0,
        group_starts: &[],
        paper: printing.paper,
        footer: printing.unit,
    };
    print::apply(sheet, &layout, &print::plan(&layout))?;
    Ok(())
}

/// Writes a row of wrapped text from column A and keeps its texts in `kept` (one entry per
/// row, in order), for the row heights.
fn row(
    sheet: &mut Worksheet,
    r: u32,
    cells: &[&str],
    kept: &mut Vec<Vec<String>>,
) -> Result<(), ExportError> {
    let wrap = Format::new().set_text_wrap();
    for (c, text) in cells.iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, crate::export::cell_text(text), &wrap)?;
    }
    kept.push(cells.iter().map(|c| c.to_string()).collect());
    Ok(())
}

/// Builds the workbook in memory.
pub fn workbook(
    ba: &BeritaAcara,
    sheets: &[AkuntansiLembar],
    coverage: &[CakupanAturan],
    inputs: &[BerkasDiperiksa],
    renstra_pdf_sha256: &str,
    printing: Printing,
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("Lampiran Berita Acara Hasil Verifikasi")
            .set_author("renstra")
            .set_creation_datetime(&created),
    );

    verdicts_sheet(&mut book, ba, printing)?;
    findings_sheet(&mut book, ba, printing)?;
    accounting_sheet(&mut book, sheets, printing)?;
    coverage_sheet(&mut book, coverage, printing)?;
    files_sheet(&mut book, inputs, renstra_pdf_sha256, printing)?;
    Ok(book.save_to_buffer()?)
}

/// The Berita Acara's table: a row per chapter and sub-chapter, its verdict and who decided it.
fn verdicts_sheet(
    book: &mut Workbook,
    ba: &BeritaAcara,
    printing: Printing,
) -> Result<(), ExportError> {
    let s = book.add_worksheet().set_name("Berita Acara")?;
    let widths = header(
        s,
        &[
            "No",
            "Muatan Substansi",
            "Kesesuaian",
            "Rekomendasi",
            "Diputuskan oleh",
        ],
        &[6.0, 50.0, 14.0, 90.0, 16.0],
    )?;
    let mut kept = Vec::new();
    for (i, b) in ba.baris.iter().enumerate() {
        let verdict = match b.kesesuaian {
            Kesesuaian::Sesuai => "Sesuai",
            Kesesuaian::KurangSesuai => "Kurang Sesuai",
            Kesesuaian::TidakSesuai => "Tidak Sesuai",
        };
        let rec = if b.rekomendasi.is_empty() {
            "-".to_string()
        } else {
            b.rekomendasi.join("\n")
        };
        let by = if b.oleh_verifikator {
            "verifikator"
        } else {
            "otomatis"
        };
        row(
            s,
            1 + i as u32,
            &[&b.nomor, &b.judul, verdict, &rec, by],
            &mut kept,
        )?;
    }
    finish(s, &widths, &kept, printing)
}

/// Lampiran 1: every finding, filterable.
fn findings_sheet(
    book: &mut Workbook,
    ba: &BeritaAcara,
    printing: Printing,
) -> Result<(), ExportError> {
    let s = book.add_worksheet().set_name("Lampiran 1 Temuan")?;
    let widths = header(
        s,
        &[
            "Bagian",
            "Tabel",
            "Tingkat",
            "Aturan",
            "Letak (berkas › lembar › sel)",
            "Nilai tertulis",
            "Nilai seharusnya",
            "Pesan",
        ],
        &[8.0, 16.0, 12.0, 22.0, 50.0, 18.0, 18.0, 90.0],
    )?;
    let mut kept = Vec::new();
    for (i, f) in ba.temuan.iter().enumerate() {
        row(
            s,
            1 + i as u32,
            &[
                &f.bagian,
                &f.tabel,
                &f.tingkat,
                &f.aturan,
                &f.letak,
                &f.tertulis,
                &f.seharusnya,
                &f.pesan,
            ],
            &mut kept,
        )?;
    }
    s.autofilter(0, 0, ba.temuan.len() as u32, 7)?;
    finish(s, &widths, &kept, printing)
}

/// Lampiran 2: the row accounting of every input sheet.
fn accounting_sheet(
    book: &mut Workbook,
    sheets: &[AkuntansiLembar],
    printing: Printing,
) -> Result<(), ExportError> {
    let s = book
        .add_worksheet()
        .set_name("Lampiran 2 Akuntansi Baris")?;
    let widths = header(
        s,
        &[
            "Berkas", "Lembar", "Jenis", "Dibaca", "Judul", "Kepala", "Kosong", "Data", "Jumlah",
            "Dilewati",
        ],
        &[40.0, 28.0, 40.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0],
    )?;
    let mut kept = Vec::new();
    for (i, a) in sheets.iter().enumerate() {
        let r = 1 + i as u32;
        row(s, r, &[&a.berkas, &a.lembar, &a.jenis], &mut kept)?;
        for (c, n) in [
            a.dibaca, a.judul, a.kepala, a.kosong, a.data, a.jumlah, a.dilewati,
        ]
        .into_iter()
        .enumerate()
        {
            s.write_number(r, 3 + c as u16, n as f64)?;
        }
    }
    finish(s, &widths, &kept, printing)
}

/// Lampiran 2 (continued): the checks each rule ran, passed, failed and could not run.
fn coverage_sheet(
    book: &mut Workbook,
    rows: &[CakupanAturan],
    printing: Printing,
) -> Result<(), ExportError> {
    let s = book.add_worksheet().set_name("Lampiran 2 Cakupan")?;
    let widths = header(
        s,
        &[
            "Aturan",
            "Dijalankan",
            "Lolos",
            "Gagal",
            "Tidak dapat dijalankan",
            "Memakai usulan",
        ],
        &[30.0, 12.0, 12.0, 12.0, 14.0, 14.0],
    )?;
    let mut kept = Vec::new();
    for (i, c) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        row(s, r, &[c.aturan], &mut kept)?;
        for (k, n) in [
            c.dijalankan,
            c.lolos,
            c.gagal,
            c.tidak_dijalankan,
            c.memakai_usulan,
        ]
        .into_iter()
        .enumerate()
        {
            s.write_number(r, 1 + k as u16, n as f64)?;
        }
    }
    finish(s, &widths, &kept, printing)
}

/// Lampiran 3: every input with its SHA-256, and the Renstra PDF's.
fn files_sheet(
    book: &mut Workbook,
    inputs: &[BerkasDiperiksa],
    renstra_pdf_sha256: &str,
    printing: Printing,
) -> Result<(), ExportError> {
    let s = book.add_worksheet().set_name("Lampiran 3 Berkas")?;
    let widths = header(
        s,
        &["Berkas", "Ukuran (bita)", "SHA-256", "Catatan"],
        &[44.0, 14.0, 70.0, 50.0],
    )?;
    let mut kept = Vec::new();
    for (i, f) in inputs.iter().enumerate() {
        let r = 1 + i as u32;
        row(s, r, &[&f.berkas], &mut kept)?;
        s.write_number(r, 1, f.ukuran as f64)?;
        row_at(s, r, 2, &[&f.sha256, &f.catatan])?;
    }
    let r = 1 + inputs.len() as u32;
    row(
        s,
        r,
        &["renstra.pdf (dokumen yang diverifikasi)"],
        &mut kept,
    )?;
    row_at(
        s,
        r,
        2,
        &[
            renstra_pdf_sha256,
            "dihasilkan renstra dalam proses yang sama",
        ],
    )?;
    finish(s, &widths, &kept, printing)
}

fn row_at(sheet: &mut Worksheet, r: u32, first: u16, cells: &[&str]) -> Result<(), ExportError> {
    for (c, text) in cells.iter().enumerate() {
        sheet.write_string(r, first + c as u16, crate::export::cell_text(text))?;
    }
    Ok(())
}
