codebook::include_codes!(path = "../../../../crates/codebook/tests/ui/duplicate_code.yaml");

fn main() {}
