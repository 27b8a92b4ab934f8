fn main() {
    let path = std::env::args().nth(1).unwrap();
    match codebook_model::load_path(std::path::Path::new(&path)) {
        Ok(r) => println!("ok: {} families, {} codes", r.families.len(), r.code_count()),
        Err(e) => println!("{e}"),
    }
}
