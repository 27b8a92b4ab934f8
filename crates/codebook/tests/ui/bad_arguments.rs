// Arguments are checked: a misspelt key is reported at its span.
codebook::include_codes!(file = "codes.yaml");

fn main() {}
