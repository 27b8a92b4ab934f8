// Every problem of the registry is reported at once, each as its own located compile error.
codebook::include_codes!(path = "../../../../crates/codebook/tests/ui/every_problem_at_once.yaml");

fn main() {}
