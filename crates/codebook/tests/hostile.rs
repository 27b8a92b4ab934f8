//! The proc-macro compiles the hostile fixture registry (quotes, backslashes, control characters,
//! comment terminators, HTML, emoji, right-to-left text, near-keyword names) and the enums
//! reproduce every string of it exactly. `cargo xtask test` runs the TypeScript and Go side.

use codebook::CodeFamily;

codebook::include_codes!(path = "../../crates/codebook-codegen/tests/hostile/codes.yaml");

use hostile_close::HostileClose;
use types::Types;

fn registry() -> codebook_model::Registry {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../crates/codebook-codegen/tests/hostile/codes.yaml");
    codebook_model::load_path(std::path::Path::new(path)).expect("the hostile fixture is a valid registry")
}

macro_rules! check_family {
    ($family:ty, $id:expr) => {{
        let registry = registry();
        let model = registry.family($id).expect("family in the fixture");
        assert_eq!(<$family>::ALL.len(), model.codes.len());
        assert_eq!(<$family>::TITLE, model.title);
        for code in &model.codes {
            let generated = <$family>::from_code(code.number).expect("registered");
            assert_eq!(generated.name(), code.name);
            assert_eq!(<$family>::from_name(&code.name), Some(generated));
            assert_eq!(CodeFamily::message(generated), code.message.fixed(), "message of {}", code.number);
            assert_eq!(generated.wire_message().fixed(), code.message.fixed());
            assert_eq!(generated.description(), code.description.trim_end(), "description of {}", code.number);
            assert_eq!(generated.causes(), code.causes.as_slice(), "causes of {}", code.number);
            assert_eq!(generated.behaviour().as_str(), code.behaviour.as_str());
            assert_eq!(
                generated.to_string(),
                format!("{} {}", code.number, code.message.fixed().unwrap_or(&code.name))
            );
        }
        assert_eq!(<$family>::SEGMENTS.len(), model.segments.len());
        for (generated, segment) in <$family>::SEGMENTS.iter().zip(&model.segments) {
            assert_eq!(
                (generated.from, generated.to, generated.label),
                (segment.from, segment.to, segment.label.as_str())
            );
        }
        for number in [0, 999, 1000, 2999, 3000, 4999, 5000, u16::MAX] {
            assert_eq!(
                <$family as CodeFamily>::classify(number).behaviour.as_str(),
                model.classify(number).behaviour.as_str()
            );
        }
    }};
}

#[test]
fn hostile_close_family_reproduces_every_string() {
    check_family!(HostileClose, "hostile-close");
    assert_eq!(HostileClose::SelfRef.message(), "*/ ${injection} `tick` /* // # <!--");
    assert_eq!(HostileClose::Func1.message(), "</script><b>bold</b> & amp; | pipe");
}

#[test]
fn hostile_error_family_reproduces_every_string() {
    check_family!(Types, "types");
    assert_eq!(Types::Int64.code(), u16::MAX);
    assert_eq!(Types::FuncZero.causes(), ["Zero \\0 \\n \\t written out"]);
}

#[test]
fn hostile_varying_texts_reproduce_every_string_and_lookup() {
    use codebook::WireMessage;
    use hostile_error_event::HostileErrorEvent;
    check_family!(HostileErrorEvent, "hostile-error-event");
    let model = registry();
    let family = model.family("hostile-error-event").unwrap();
    for code in &family.codes {
        let generated = HostileErrorEvent::from_code(code.number).unwrap();
        match generated.wire_message() {
            WireMessage::Fixed(text) => assert_eq!(Some(text), code.message.fixed()),
            WireMessage::Varies { what, known } => {
                assert_eq!(Some(what), code.message.varies());
                assert_eq!(known, code.message.known());
            }
        }
    }
    // The family has a varying text, so its inherent `message()` is optional.
    let text: Option<&str> = HostileErrorEvent::FixedSharesAKnownText.message();
    assert_eq!(text, Some("known \"one\" */ ${k} `t` </script>"));
    assert_eq!(HostileErrorEvent::VariesWithNothingKnown.message(), None);
    assert_eq!(HostileErrorEvent::VariesWithNothingKnown.to_string(), "2 VariesWithNothingKnown");
    // A text shared by a known text of 1 and the fixed text of 3 finds the lower number.
    assert_eq!(
        HostileErrorEvent::from_message("known \"one\" */ ${k} `t` </script>"),
        Some(HostileErrorEvent::VariesWithKnownTexts)
    );
    assert_eq!(
        HostileErrorEvent::from_message("back\\slash \\u000a \"\"\" ''' %s {0}"),
        Some(HostileErrorEvent::VariesWithKnownTexts)
    );
    assert_eq!(HostileErrorEvent::from_message("nothing known <b>bold</b> | pipe */ -->"), None, "prose is not a text");
}
