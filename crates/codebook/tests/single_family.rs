//! A crate can carry just the families it needs: this test crate generates only the Centrifugo
//! error codes from the same `codes.yaml`.

codebook::include_codes!(path = "../../codes.yaml", families = ["centrifugo-error"]);

#[test]
fn only_the_requested_family_is_generated() {
    use codebook::CodeFamily;
    assert_eq!(<centrifugo_error::CentrifugoError as CodeFamily>::ID, "centrifugo-error");
    assert_eq!(centrifugo_error::CentrifugoError::ALL.len(), 14);
    assert_eq!(centrifugo_error::CentrifugoError::from_code(109).unwrap().message(), "token expired");
    // The other families are not in this crate: naming them here would not compile, which the
    // compile-fail test `unknown_family` pins for a family the file lacks.
}
