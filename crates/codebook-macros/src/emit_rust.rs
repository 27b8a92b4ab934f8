//! The Rust emitter: one validated family in, one module of tokens out.
//!
//! Every string from `codes.yaml` reaches the output as a string literal token (so quotes,
//! backslashes and control characters are escaped by `proc_macro2`), and every doc comment goes
//! through [`rustdoc_text`] so registry prose can neither inject HTML nor become a doctest.

use codebook_model::{Action, BackoffHint, Behaviour, Family, FamilyKind, Jitter, Origin, Scope, Segment};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn behaviour_tokens(behaviour: Behaviour) -> TokenStream {
    match behaviour {
        Behaviour::Reconnect => quote!(::codebook::Behaviour::Reconnect),
        Behaviour::Terminal => quote!(::codebook::Behaviour::Terminal),
        Behaviour::Temporary => quote!(::codebook::Behaviour::Temporary),
        Behaviour::Permanent => quote!(::codebook::Behaviour::Permanent),
    }
}

fn action_tokens(action: Action) -> TokenStream {
    let variant = ident(match action {
        Action::None => "None",
        Action::RetryAfterBackoff => "RetryAfterBackoff",
        Action::Reconnect => "Reconnect",
        Action::ReconnectAfterBackoff => "ReconnectAfterBackoff",
        Action::RefreshTokenThenReconnect => "RefreshTokenThenReconnect",
        Action::WaitForCapacity => "WaitForCapacity",
        Action::Reauthenticate => "Reauthenticate",
        Action::FixConfiguration => "FixConfiguration",
        Action::Stop => "Stop",
        Action::InProgress => "InProgress",
    });
    quote!(::codebook::Action::#variant)
}

fn origin_tokens(origin: Origin) -> TokenStream {
    match origin {
        Origin::Server => quote!(::codebook::Origin::Server),
        Origin::ClientLibrary => quote!(::codebook::Origin::ClientLibrary),
        Origin::UserAgent => quote!(::codebook::Origin::UserAgent),
        Origin::ServerInternal => quote!(::codebook::Origin::ServerInternal),
        Origin::Client => quote!(::codebook::Origin::Client),
        Origin::Either => quote!(::codebook::Origin::Either),
    }
}

fn backoff_tokens(backoff: Option<BackoffHint>) -> TokenStream {
    let Some(BackoffHint { min_ms, max_ms, jitter, give_up_after_ms }) = backoff else {
        return quote!(None);
    };
    let jitter = match jitter {
        Jitter::Full => quote!(::codebook::Jitter::Full),
        Jitter::None => quote!(::codebook::Jitter::None),
    };
    let give_up = match give_up_after_ms {
        Some(limit) => quote!(Some(#limit)),
        None => quote!(None),
    };
    quote!(Some(::codebook::BackoffHint { min_ms: #min_ms, max_ms: #max_ms, jitter: #jitter, give_up_after_ms: #give_up }))
}

fn optional_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

fn scope_tokens(scope: Scope) -> TokenStream {
    match scope {
        Scope::Protocol => quote!(::codebook::Scope::Protocol),
        Scope::Registered => quote!(::codebook::Scope::Registered),
        Scope::Private => quote!(::codebook::Scope::Private),
        Scope::Server => quote!(::codebook::Scope::Server),
        Scope::Application => quote!(::codebook::Scope::Application),
        Scope::Client => quote!(::codebook::Scope::Client),
        Scope::Unassigned => quote!(::codebook::Scope::Unassigned),
    }
}

/// Makes registry Markdown safe to place in a rustdoc comment: HTML is escaped, and nothing can
/// open a code block (fenced or indented), which rustdoc would otherwise compile as a doctest.
fn rustdoc_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| {
            let line = line.trim_start();
            let line = line.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            if line.starts_with("```") || line.starts_with("~~~") { format!("\\{line}") } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One `#[doc]` attribute holding every line (each after a space, as `///` writes it): the same
/// documentation as an attribute per line, in far fewer tokens for a family of thousands of codes.
fn doc_lines(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|line| format!(" {line}")).collect();
    if lines.is_empty() {
        return quote!();
    }
    let text = lines.join("\n");
    quote!(#[doc = #text])
}

fn segment_tokens(segment: &Segment) -> TokenStream {
    let (from, to) = (Literal::u16_unsuffixed(segment.from), Literal::u16_unsuffixed(segment.to));
    let scope = scope_tokens(segment.scope);
    let behaviour = behaviour_tokens(segment.behaviour);
    let action = action_tokens(segment.action);
    let backoff = backoff_tokens(segment.backoff);
    let label = &segment.label;
    quote! {
        ::codebook::Segment { from: #from, to: #to, scope: #scope, behaviour: #behaviour, action: #action, backoff: #backoff, label: #label }
    }
}

/// Largest span of numbers (lowest to highest registered code) looked up through a dense table;
/// wider families use a binary search over the sorted numbers.
const DENSE_TABLE_SPAN: usize = 4096;

/// `position_of(code)`, the index of a registered number in `ALL` (and in every per-code table):
/// a dense `&[u16]` indexed by `code - lowest` when the registered numbers are close together (a
/// bounds check and a load), else a binary search over `NUMBERS`.
fn position_of_body(codes: &[&codebook_model::Code]) -> TokenStream {
    let lowest = codes.first().map_or(0, |code| code.number);
    let highest = codes.last().map_or(0, |code| code.number);
    let span = usize::from(highest - lowest) + 1;
    if span > DENSE_TABLE_SPAN {
        return quote! {
            let numbers = Self::NUMBERS;
            let (mut low, mut high) = (0, numbers.len());
            while low < high {
                let middle = low + (high - low) / 2;
                if numbers[middle] < code { low = middle + 1 } else { high = middle }
            }
            if low < numbers.len() && numbers[low] == code { Some(low) } else { None }
        };
    }
    let mut slots = vec![u16::MAX; span];
    for (position, code) in codes.iter().enumerate() {
        slots[usize::from(code.number - lowest)] = position as u16;
    }
    let slots = slots.into_iter().map(Literal::u16_unsuffixed);
    let lowest = Literal::u16_unsuffixed(lowest);
    quote! {
        const POSITIONS: &[u16] = &[#(#slots),*];
        let index = code.wrapping_sub(#lowest) as usize;
        if index < POSITIONS.len() && POSITIONS[index] != u16::MAX { Some(POSITIONS[index] as usize) } else { None }
    }
}

/// Numbers per block of the segment lookup table.
const BLOCK_BITS: u32 = 6;

/// `segment(code)`: a 1,024-entry table gives the segment of every 64-number block that lies in a
/// single segment (two loads); blocks that straddle a boundary, and families with too many
/// segments for a byte, count the segment starts at or below `code` without branching.
fn segment_body(family: &Family) -> TokenStream {
    let segments = &family.segments;
    let starts = segments.iter().skip(1).map(|segment| Literal::u16_unsuffixed(segment.from));
    let count_starts = quote!(0 #(+ (code >= #starts) as usize)*);
    if segments.len() >= usize::from(u8::MAX) {
        return quote! { &Self::SEGMENTS[#count_starts] };
    }
    let index_of = |number: u16| segments.partition_point(|segment| segment.to < number);
    let blocks = (0..=(u16::MAX >> BLOCK_BITS)).map(|block| {
        let first = block << BLOCK_BITS;
        let last = first | ((1 << BLOCK_BITS) - 1);
        let (a, b) = (index_of(first), index_of(last));
        let entry = if a == b { a as u8 } else { u8::MAX };
        Literal::u8_unsuffixed(entry)
    });
    let block_count = usize::from(u16::MAX >> BLOCK_BITS) + 1;
    quote! {
        const BLOCKS: [u8; #block_count] = [#(#blocks),*];
        let block = BLOCKS[(code >> #BLOCK_BITS) as usize];
        let index = if block != u8::MAX { block as usize } else { #count_starts };
        &Self::SEGMENTS[index]
    }
}

/// The first step of `behaviour_of(code)`: a 1,024-entry table holding the behaviour of every
/// 64-number block in which all numbers, registered or not, behave alike (most blocks), so the
/// common answer is one load; a mixed block falls through to the exact lookup.
fn behaviour_blocks(family: &Family) -> TokenStream {
    const ORDER: [Behaviour; 4] = Behaviour::ALL;
    let registered: std::collections::HashMap<u16, Behaviour> =
        family.codes.iter().map(|code| (code.number, code.behaviour)).collect();
    let behaviour_of =
        |number: u16| registered.get(&number).copied().unwrap_or_else(|| family.segment_of(number).behaviour);
    let blocks = (0..=(u16::MAX >> BLOCK_BITS)).map(|block| {
        let first = block << BLOCK_BITS;
        let behaviour = behaviour_of(first);
        let uniform = (first..=first | ((1 << BLOCK_BITS) - 1)).all(|number| behaviour_of(number) == behaviour);
        let entry = if uniform {
            ORDER.iter().position(|b| *b == behaviour).expect("every behaviour is listed") as u8
        } else {
            u8::MAX
        };
        Literal::u8_unsuffixed(entry)
    });
    let order = ORDER.map(behaviour_tokens);
    let block_count = usize::from(u16::MAX >> BLOCK_BITS) + 1;
    quote! {
        const BEHAVIOUR_BY_BLOCK: [u8; #block_count] = [#(#blocks),*];
        const BEHAVIOURS: [::codebook::Behaviour; 4] = [#(#order),*];
        let uniform = BEHAVIOUR_BY_BLOCK[(code >> #BLOCK_BITS) as usize];
        if uniform != u8::MAX {
            return BEHAVIOURS[uniform as usize];
        }
    }
}

/// The module for one family: `pub mod <module> { pub enum <Type> { .. } impl .. }`.
pub(crate) fn family_module(family: &Family, crate_name: &str) -> TokenStream {
    let module = ident(&family.names.module);
    let type_name = ident(&family.names.type_name);
    let id = &family.id;
    let title = &family.title;
    let codes = family.codes_by_number();
    let variants: Vec<Ident> = codes.iter().map(|code| ident(&code.names.variant)).collect();
    let numbers: Vec<Literal> = codes.iter().map(|code| Literal::u16_unsuffixed(code.number)).collect();
    let names: Vec<&str> = codes.iter().map(|code| code.name.as_str()).collect();
    let varying = family.has_varying_messages();
    // Only a family with a text built at run time pays for `Option`; the others keep `&str`.
    let messages: Vec<TokenStream> = codes
        .iter()
        .map(|code| match (code.message.fixed(), varying) {
            (Some(text), false) => quote!(#text),
            (Some(text), true) => quote!(Some(#text)),
            (None, _) => quote!(None),
        })
        .collect();
    let wire_messages: Vec<TokenStream> = codes
        .iter()
        .map(|code| match (&code.message.fixed(), code.message.varies()) {
            (Some(text), _) => quote!(::codebook::WireMessage::Fixed(#text)),
            (None, what) => {
                let what = what.unwrap_or_default();
                let known = code.message.known();
                quote!(::codebook::WireMessage::Varies { what: #what, known: &[#(#known),*] })
            }
        })
        .collect();
    // Sorted by text, for a binary search: `Family::message_lookups` has already decided which
    // code a shared text finds (the lowest number).
    let mut lookups: Vec<(&str, Ident)> = family
        .message_lookups()
        .into_iter()
        .map(|(text, number)| {
            let code = family.code(number).expect("a lookup finds a registered code");
            (text, ident(&code.names.variant))
        })
        .collect();
    lookups.sort_by(|a, b| a.0.cmp(b.0));
    lookups.dedup_by(|a, b| a.0 == b.0);
    let (lookup_texts, lookup_variants): (Vec<&str>, Vec<Ident>) = lookups.into_iter().unzip();
    let mut by_name: Vec<(&str, &Ident)> = names.iter().copied().zip(&variants).collect();
    by_name.sort_by(|a, b| a.0.cmp(b.0));
    let (sorted_names, sorted_name_variants): (Vec<&str>, Vec<&Ident>) = by_name.into_iter().unzip();
    let (message_type, message_doc, message_as_option) = if varying {
        (
            quote!(Option<&'static str>),
            "The exact message or close reason sent on the wire with this code, or `None` when the \
             sender builds the text at run time (see `wire_message`).",
            quote!(#type_name::message(self)),
        )
    } else {
        (
            quote!(&'static str),
            "The exact message or close reason sent on the wire with this code.",
            quote!(Some(#type_name::message(self))),
        )
    };
    let display_body = if varying {
        quote! {
            match self.message() {
                Some(text) => write!(f, "{} {}", self.code(), text),
                None => write!(f, "{} {}", self.code(), self.name()),
            }
        }
    } else {
        quote!(write!(f, "{} {}", self.code(), self.message()))
    };
    let descriptions: Vec<&str> = codes.iter().map(|code| code.description.trim_end()).collect();
    let causes: Vec<TokenStream> = codes
        .iter()
        .map(|code| {
            let causes = &code.causes;
            quote!(&[#(#causes),*])
        })
        .collect();
    let behaviours: Vec<TokenStream> = codes.iter().map(|code| behaviour_tokens(code.behaviour)).collect();
    let local_only: Vec<bool> = codes.iter().map(|code| code.local_only).collect();
    let actions: Vec<TokenStream> = codes.iter().map(|code| action_tokens(code.action)).collect();
    let backoffs: Vec<TokenStream> = codes.iter().map(|code| backoff_tokens(code.backoff)).collect();
    let origins: Vec<TokenStream> = codes.iter().map(|code| origin_tokens(code.origin)).collect();
    let sinces: Vec<TokenStream> = codes.iter().map(|code| optional_str(code.since.as_deref())).collect();
    let deprecations: Vec<TokenStream> = codes.iter().map(|code| optional_str(code.deprecated.as_deref())).collect();
    let doc_urls: Vec<&str> = codes.iter().map(|code| code.doc_url.as_str()).collect();
    let http_statuses: Vec<TokenStream> = codes
        .iter()
        .map(|code| code.http_status.map_or_else(|| quote!(None), |status| quote!(Some(#status))))
        .collect();
    let grpc_statuses: Vec<TokenStream> = codes
        .iter()
        .map(|code| code.grpc_status.map(|status| status.number()).map_or_else(|| quote!(None), |n| quote!(Some(#n))))
        .collect();
    let retired: Vec<Literal> = family.retired.iter().map(|r| Literal::u16_unsuffixed(r.number)).collect();

    let segments: Vec<TokenStream> = family.segments.iter().map(segment_tokens).collect();
    let segment_body = segment_body(family);
    let behaviour_blocks = behaviour_blocks(family);
    let position_of_body = position_of_body(&codes);

    let variant_docs = codes.iter().map(|code| {
        let mut text = format!(
            "`{}` {}\n\n{}",
            family.display_number(code.number),
            rustdoc_text(&match code.message.fixed() {
                Some(text) => format!("\"{}\"", text.escape_debug()),
                None => format!("(message varies: {})", code.message.varies().unwrap_or_default()),
            }),
            rustdoc_text(&code.description)
        );
        text.push_str("\n\nPossible causes:\n");
        for cause in &code.causes {
            text.push_str(&format!("- {}\n", rustdoc_text(cause)));
        }
        text.push_str(&format!("\nBehaviour: {}. Action: {}", code.behaviour.as_str(), code.action.advice()));
        if let Some(hint) = code.backoff {
            text.push_str(&format!(
                " Backoff: {}-{} ms{}.",
                hint.min_ms,
                hint.max_ms,
                hint.give_up_after_ms.map_or(String::new(), |limit| format!(", giving up after {limit} ms"))
            ));
        }
        if let Some(note) = &code.deprecated {
            text.push_str(&format!("\n\nDeprecated: {}", rustdoc_text(note)));
        }
        if code.local_only {
            text.push_str(" Reported locally only: never sent in a close frame (RFC 6455, section 7.4.1).");
        }
        doc_lines(&text)
    });

    let first = codes.first().expect("the model rejects a family without codes");
    let first_variant = ident(&first.names.variant);
    let first_number = first.number;
    let first_display = format!("{} {}", first.number, first.message.fixed().unwrap_or(&first.name));
    let first_message = match (first.message.fixed(), varying) {
        (Some(text), false) => format!("{text:?}"),
        (Some(text), true) => format!("Some({text:?})"),
        (None, _) => "None".to_string(),
    };
    let unregistered =
        (0..=u16::MAX).rev().find(|number| family.code(*number).is_none()).expect("a family cannot register every u16");
    let unregistered_behaviour = format!("{:?}", family.classify(unregistered).behaviour);
    let behaviour_check = match family.kind {
        FamilyKind::WebsocketClose => {
            format!("assert_eq!(code.should_reconnect(), {});", first.behaviour.should_reconnect())
        }
        FamilyKind::Error => format!("assert_eq!(code.is_temporary(), {});", first.behaviour.is_temporary()),
    };
    let example = format!(
        "```\nuse {crate_name}::{module}::{type_name};\nuse {crate_name}::Behaviour;\n\n\
         let code = {type_name}::from_code({first_number}).unwrap();\n\
         assert_eq!(code, {type_name}::{first_variant});\n\
         assert_eq!(code.message(), {first_message});\n\
         assert_eq!(code.to_string(), {first_display:?});\n\
         {behaviour_check}\n\
         assert_eq!(\"{first_variant}\".parse::<{type_name}>(), Ok(code));\n\n\
         // {unregistered} is not registered: its range decides.\n\
         let unknown = {type_name}::classify({unregistered});\n\
         assert_eq!(unknown.known, None);\n\
         assert_eq!(unknown.behaviour, Behaviour::{unregistered_behaviour});\n```",
        module = family.names.module,
    );
    let enum_doc = doc_lines(&format!(
        "{}\n\n{}\n\nFamily `{id}` of `codes.yaml`. `Display` writes the number and the wire message \
         (the name when the text varies), e.g. `{first_display}`.\n\n# Example\n\n{example}",
        rustdoc_text(title),
        rustdoc_text(&family.description)
    ));
    let module_doc = doc_lines(&rustdoc_text(title));

    let kind_methods = match family.kind {
        FamilyKind::WebsocketClose => quote! {
            /// True when a client should reconnect (with backoff) after this code.
            pub const fn should_reconnect(self) -> bool { self.behaviour().should_reconnect() }
            /// True when a client must not reconnect on its own after this code.
            pub const fn is_terminal(self) -> bool { self.behaviour().is_terminal() }
            /// True for codes an endpoint only reports locally and never sends in a close frame
            /// (RFC 6455, section 7.4.1).
            pub const fn is_local_only(self) -> bool {
                const LOCAL_ONLY: &[bool] = &[#(#local_only),*];
                LOCAL_ONLY[self.position()]
            }
        },
        FamilyKind::Error => quote! {
            /// True when retrying the command later may succeed.
            pub const fn is_temporary(self) -> bool { self.behaviour().is_temporary() }
        },
    };
    let error_impl = match family.kind {
        FamilyKind::Error => quote!(impl ::std::error::Error for #type_name {}),
        FamilyKind::WebsocketClose => quote!(),
    };

    quote! {
        #module_doc
        pub mod #module {
            #enum_doc
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            #[repr(u16)]
            pub enum #type_name {
                #(#variant_docs #variants = #numbers,)*
            }

            impl #type_name {
                /// The family id in `codes.yaml`.
                pub const ID: &'static str = #id;
                /// The family title.
                pub const TITLE: &'static str = #title;
                /// Every registered code, sorted by number.
                pub const ALL: &'static [Self] = &[#(Self::#variants),*];
                /// Numbers that were used once and are never registered again.
                pub const RETIRED: &'static [u16] = &[#(#retired),*];
                /// How unregistered numbers classify: sorted segments covering every `u16`.
                pub const SEGMENTS: &'static [::codebook::Segment] = &[#(#segments),*];

                /// The registered numbers, sorted: `ALL` and every per-code table below follow
                /// this order.
                const NUMBERS: &'static [u16] = &[#(#numbers),*];

                /// The number.
                pub const fn code(self) -> u16 { self as u16 }

                /// The index of a registered number in `ALL` and the per-code tables.
                const fn position_of(code: u16) -> Option<usize> {
                    #position_of_body
                }

                /// This code's index in `ALL` and the per-code tables.
                const fn position(self) -> usize {
                    match Self::position_of(self as u16) {
                        Some(position) => position,
                        None => panic!("every variant is a registered number"),
                    }
                }

                /// The registered code with this number.
                pub const fn from_code(code: u16) -> Option<Self> {
                    match Self::position_of(code) {
                        Some(position) => Some(Self::ALL[position]),
                        None => None,
                    }
                }

                /// The registered code with this identifier name (as in `codes.yaml`).
                pub fn from_name(name: &str) -> Option<Self> {
                    const BY_NAME: &[(&str, #type_name)] = &[#((#sorted_names, #type_name::#sorted_name_variants)),*];
                    BY_NAME.binary_search_by(|(known, _)| (*known).cmp(name)).ok().map(|at| BY_NAME[at].1)
                }

                /// The identifier name, e.g. `InvalidToken`.
                pub const fn name(self) -> &'static str {
                    const NAMES: &[&str] = &[#(#names),*];
                    NAMES[self.position()]
                }

                #[doc = #message_doc]
                pub const fn message(self) -> #message_type {
                    const MESSAGES: &[#message_type] = &[#(#messages),*];
                    MESSAGES[self.position()]
                }

                /// The text that travels with this code: fixed, or what a text built at run time
                /// holds and the exact texts known for it.
                pub const fn wire_message(self) -> ::codebook::WireMessage {
                    const WIRE_MESSAGES: &[::codebook::WireMessage] = &[#(#wire_messages),*];
                    WIRE_MESSAGES[self.position()]
                }

                /// The registered code sent with this exact text (a fixed text, or a varying
                /// one's known text); the lowest number when several share it.
                pub fn from_message(text: &str) -> Option<Self> {
                    const BY_MESSAGE: &[(&str, #type_name)] = &[#((#lookup_texts, #type_name::#lookup_variants)),*];
                    BY_MESSAGE.binary_search_by(|(known, _)| (*known).cmp(text)).ok().map(|at| BY_MESSAGE[at].1)
                }

                /// What the code means, as Markdown.
                pub const fn description(self) -> &'static str {
                    const DESCRIPTIONS: &[&str] = &[#(#descriptions),*];
                    DESCRIPTIONS[self.position()]
                }

                /// Typical causes, one line each.
                pub const fn causes(self) -> &'static [&'static str] {
                    const CAUSES: &[&[&str]] = &[#(#causes),*];
                    CAUSES[self.position()]
                }

                /// Whether a client should reconnect, stop, or retry after this code.
                pub const fn behaviour(self) -> ::codebook::Behaviour {
                    const BEHAVIOURS: &[::codebook::Behaviour] = &[#(#behaviours),*];
                    BEHAVIOURS[self.position()]
                }

                /// What a client should do next (refresh a token, wait for capacity, stop...).
                pub const fn action(self) -> ::codebook::Action {
                    const ACTIONS: &[::codebook::Action] = &[#(#actions),*];
                    ACTIONS[self.position()]
                }

                /// How long to wait before trying again; `Some` exactly when the action tries again.
                pub const fn backoff(self) -> Option<::codebook::BackoffHint> {
                    const BACKOFFS: &[Option<::codebook::BackoffHint>] = &[#(#backoffs),*];
                    BACKOFFS[self.position()]
                }

                /// Who emits this code.
                pub const fn origin(self) -> ::codebook::Origin {
                    const ORIGINS: &[::codebook::Origin] = &[#(#origins),*];
                    ORIGINS[self.position()]
                }

                /// The version that introduced the code, if recorded.
                pub const fn since(self) -> Option<&'static str> {
                    const SINCES: &[Option<&str>] = &[#(#sinces),*];
                    SINCES[self.position()]
                }

                /// What to use instead, when the code is deprecated.
                pub const fn deprecated(self) -> Option<&'static str> {
                    const DEPRECATIONS: &[Option<&str>] = &[#(#deprecations),*];
                    DEPRECATIONS[self.position()]
                }

                /// The portal's stable URL of this code, usable as an RFC 9457 problem `type`.
                pub const fn doc_url(self) -> &'static str {
                    const DOC_URLS: &[&str] = &[#(#doc_urls),*];
                    DOC_URLS[self.position()]
                }

                /// The HTTP status the server answers with when it returns this code as a
                /// transport error, if the registry states one.
                pub const fn http_status(self) -> Option<u16> {
                    const HTTP_STATUSES: &[Option<u16>] = &[#(#http_statuses),*];
                    HTTP_STATUSES[self.position()]
                }

                /// The gRPC status number (0-16, `grpc-status`) the server answers with when it
                /// returns this code as a transport error, if the registry states one.
                pub const fn grpc_status(self) -> Option<u8> {
                    const GRPC_STATUSES: &[Option<u8>] = &[#(#grpc_statuses),*];
                    GRPC_STATUSES[self.position()]
                }

                #kind_methods

                /// The range segment `code` falls in (for a registered code, what its range says).
                pub const fn segment(code: u16) -> &'static ::codebook::Segment {
                    #segment_body
                }

                /// What to do with any number, the fast way: the registered code's behaviour, or
                /// its range's. Equal to `classify(code).behaviour`.
                pub const fn behaviour_of(code: u16) -> ::codebook::Behaviour {
                    #behaviour_blocks
                    match Self::from_code(code) {
                        Some(known) => known.behaviour(),
                        None => Self::segment(code).behaviour,
                    }
                }

                /// Classifies any number: a registered code by its own behaviour, anything else by
                /// the family's range rules, so a code from a newer server is still handled.
                pub const fn classify(code: u16) -> ::codebook::Classification<Self> {
                    let known = Self::from_code(code);
                    let segment = Self::segment(code);
                    let (behaviour, action, backoff) = match known {
                        Some(known) => (known.behaviour(), known.action(), known.backoff()),
                        None => (segment.behaviour, segment.action, segment.backoff),
                    };
                    ::codebook::Classification { code, known, segment, behaviour, action, backoff }
                }
            }

            /// Writes the code's name, as a derived `Debug` would.
            impl ::core::fmt::Debug for #type_name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.name())
                }
            }

            /// Writes the number and the wire message, e.g. `3500 invalid token` (the number and
            /// the name when the text varies).
            impl ::core::fmt::Display for #type_name {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #display_body
                }
            }

            #error_impl

            impl ::core::convert::From<#type_name> for u16 {
                fn from(code: #type_name) -> u16 { code.code() }
            }

            impl ::core::convert::TryFrom<u16> for #type_name {
                type Error = ::codebook::UnknownCode;
                fn try_from(code: u16) -> Result<Self, ::codebook::UnknownCode> {
                    Self::from_code(code).ok_or(::codebook::UnknownCode { family: #id, code })
                }
            }

            impl ::core::str::FromStr for #type_name {
                type Err = ::codebook::UnknownName;
                fn from_str(name: &str) -> Result<Self, ::codebook::UnknownName> {
                    Self::from_name(name).ok_or_else(|| ::codebook::UnknownName { family: #id, name: name.to_string() })
                }
            }

            impl ::codebook::CodeFamily for #type_name {
                const ID: &'static str = #id;
                const ALL: &'static [Self] = #type_name::ALL;
                const SEGMENTS: &'static [::codebook::Segment] = #type_name::SEGMENTS;
                fn code(self) -> u16 { #type_name::code(self) }
                fn from_code(code: u16) -> Option<Self> { #type_name::from_code(code) }
                fn name(self) -> &'static str { #type_name::name(self) }
                fn message(self) -> Option<&'static str> { #message_as_option }
                fn wire_message(self) -> ::codebook::WireMessage { #type_name::wire_message(self) }
                fn from_message(text: &str) -> Option<Self> { #type_name::from_message(text) }
                fn behaviour(self) -> ::codebook::Behaviour { #type_name::behaviour(self) }
                fn action(self) -> ::codebook::Action { #type_name::action(self) }
                fn backoff(self) -> Option<::codebook::BackoffHint> { #type_name::backoff(self) }
                fn classify(code: u16) -> ::codebook::Classification<Self> { #type_name::classify(code) }
            }

            ::codebook::__impl_serde_for_family!(#type_name);
            ::codebook::__impl_try_from_ints_for_family!(#type_name);
        }
    }
}
