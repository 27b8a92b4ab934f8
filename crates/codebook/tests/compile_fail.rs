//! A bad `codes.yaml` is a compile error carrying the model's located messages, never a panic.
//! Each case in `tests/ui/` pairs an invocation with the registry it names and the exact stderr.

#[test]
fn bad_registries_fail_to_compile_with_located_messages() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
