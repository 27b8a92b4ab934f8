//! `site export` never leaves a half-written export: it builds beside the target and renames, so
//! a failed write keeps the previous export whole and leaves no temp directory; and it never
//! replaces a directory that is not an earlier export.

use std::path::Path;
use std::process::Command;

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_export_keeps_the_previous_one_whole_and_leaves_nothing_behind() {
    let scratch = std::env::temp_dir().join(format!("site-export-fail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let out = scratch.join("export");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(site::export::EXPORT_MARKER), "").unwrap();
    std::fs::write(out.join("index.html"), "the previous export").unwrap();
    // A file-size limit stands in for a full disk: with SIGXFSZ ignored, the write that crosses
    // it fails with EFBIG instead of killing the process.
    let status = Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 16; exec \"$0\" export --out \"$1\""])
        .arg(env!("CARGO_BIN_EXE_site"))
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(!status.status.success());
    assert!(stderr.contains("the export failed") && stderr.contains("cannot write"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "the previous export");
    assert_eq!(listing(&out), [site::export::EXPORT_MARKER, "index.html"]);
    assert_eq!(listing(&scratch), ["export"], "no temp directory left beside the export");
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn a_directory_that_is_not_an_export_is_never_replaced() {
    let scratch = std::env::temp_dir().join(format!("site-export-foreign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("notes.txt"), "mine").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_site")).args(["export", "--out"]).arg(&scratch).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not an earlier export"));
    assert_eq!(listing(&scratch), ["notes.txt"]);
    std::fs::remove_dir_all(&scratch).unwrap();
}
