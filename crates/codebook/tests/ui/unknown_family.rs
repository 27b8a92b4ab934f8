// Asking for a family the registry does not have names the families it does have.
codebook::include_codes!(path = "../../../../codes.yaml", families = ["centrifugo-errors"]);

fn main() {}
