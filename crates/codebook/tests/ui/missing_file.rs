// A registry path that does not exist is a compile error, not a panic.
codebook::include_codes!(path = "no/such/codes.yaml");

fn main() {}
