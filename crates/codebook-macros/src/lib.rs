//! `include_codes!`: reads `codes.yaml` through the model crate at compile time and expands each
//! chosen family into a Rust module holding one enum and its lookups.
//!
//! This crate only formats the validated registry; classification segments, identifiers and every
//! rule come from `codebook-model`. A bad registry becomes one `compile_error!` per problem, each
//! carrying the model's `path:line:col: message` and snippet. The generated code names its runtime
//! types through `::codebook`, so the invoking crate depends on `codebook`.

mod emit_rust;

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token, bracketed};

/// Expands families of a `codes.yaml` into Rust enums.
///
/// ```ignore
/// codebook::include_codes!(path = "../../codes.yaml", families = ["centrifugo-error"]);
/// ```
///
/// `path` is relative to the invoking crate's `Cargo.toml` (default `codes.yaml`); `families`
/// lists family ids (default: every family). Each family becomes `pub mod <family_module>`.
/// Editing the file rebuilds the crate: the expansion includes its bytes.
#[proc_macro]
pub fn include_codes(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let request = syn::parse_macro_input!(input as Request);
    expand(request).into()
}

struct Request {
    path: LitStr,
    families: Option<Vec<LitStr>>,
}

impl Parse for Request {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut path = None;
        let mut families = None;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "path" => path = Some(input.parse::<LitStr>()?),
                "families" => {
                    let content;
                    bracketed!(content in input);
                    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                    families = Some(list.into_iter().collect());
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}`; expected `path = \"...\"` or `families = [\"...\"]`"),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(Request { path: path.unwrap_or_else(|| LitStr::new("codes.yaml", Span::call_site())), families })
    }
}

fn expand(request: Request) -> TokenStream {
    let written = request.path.value();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let full_path = manifest_dir.join(&written);
    // Track the file before loading it, so fixing a bad registry also triggers a rebuild.
    let tracked = full_path.canonicalize().ok().map(|absolute| {
        let absolute = absolute.to_string_lossy().into_owned();
        quote! { const _: &[u8] = include_bytes!(#absolute); }
    });

    let registry = match codebook_model::load_path(&full_path) {
        Ok(registry) => registry,
        Err(error) => {
            let error = error.with_path(written);
            let errors = error.rendered_each().into_iter().map(|message| {
                quote::quote_spanned! { request.path.span() => compile_error!(#message); }
            });
            return quote! { #tracked #(#errors)* };
        }
    };

    let families: Vec<&codebook_model::Family> = match &request.families {
        None => registry.families.iter().collect(),
        Some(wanted) => {
            let mut chosen = Vec::new();
            for id in wanted {
                match registry.family(&id.value()) {
                    Some(family) => chosen.push(family),
                    None => {
                        let known: Vec<&str> = registry.families.iter().map(|f| f.id.as_str()).collect();
                        let message =
                            format!("{written} has no family `{}`; its families are: {}", id.value(), known.join(", "));
                        return quote::quote_spanned! { id.span() => #tracked compile_error!(#message); };
                    }
                }
            }
            chosen
        }
    };
    let crate_name = std::env::var("CARGO_CRATE_NAME").unwrap_or_else(|_| "crate".into());
    let modules = families.iter().map(|family| emit_rust::family_module(family, &crate_name));
    quote! { #tracked #(#modules)* }
}

#[cfg(test)]
mod tests {
    //! The whole bad-input corpus of the model crate through the macro: every registry must expand
    //! to `compile_error!`s carrying exactly the model's located messages (`tests/ui` in `codebook`
    //! proves with trybuild that such an expansion really fails to compile).

    use super::*;
    use proc_macro2::TokenTree;
    use std::path::Path;

    fn compile_errors(tokens: TokenStream) -> Vec<String> {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut messages = Vec::new();
        for window in tokens.windows(3) {
            if let [TokenTree::Ident(ident), TokenTree::Punct(bang), TokenTree::Group(group)] = window
                && ident == "compile_error"
                && bang.as_char() == '!'
            {
                messages.push(syn::parse2::<LitStr>(group.stream()).unwrap().value());
            }
        }
        messages
    }

    #[test]
    fn every_bad_registry_expands_to_its_located_compile_errors() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codebook-model/tests/invalid");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        cases.sort();
        assert!(cases.len() >= 50);
        for case in cases {
            let written = format!("../codebook-model/tests/invalid/{}", case.file_name().unwrap().to_str().unwrap());
            let request = Request { path: LitStr::new(&written, Span::call_site()), families: None };
            let headlines: Vec<String> = compile_errors(expand(request))
                .into_iter()
                .map(|message| message.lines().next().unwrap().to_string())
                .collect();
            let expected: Vec<String> = std::fs::read_to_string(case.with_extension("errors"))
                .unwrap()
                .lines()
                .map(|line| line.replacen("codes.yaml", &written, 1))
                .collect();
            assert_eq!(headlines, expected, "{}", case.display());
        }
    }

    #[test]
    fn a_good_registry_expands_to_one_module_per_family_and_tracks_the_file() {
        let request = Request { path: LitStr::new("../../codes.yaml", Span::call_site()), families: None };
        let output = expand(request).to_string();
        assert!(output.contains("include_bytes !"), "the expansion must track codes.yaml");
        for module in ["streaming_session", "centrifugo_error", "centrifugo_disconnect"] {
            assert!(output.contains(&format!("pub mod {module}")), "{module}");
        }
        assert!(!output.contains("compile_error"));
    }
}
