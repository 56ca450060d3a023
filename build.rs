//! Embeds the source commit in the program (`RELOCANT_COMMIT`), for the provenance every
//! manifest records: `git rev-parse HEAD` at build time, `unknown` outside a git checkout.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

fn main() {
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=RELOCANT_COMMIT={commit}");
    // Rebuild when the checked-out commit changes (HEAD, the branch it names, packed refs);
    // nothing else makes this script run again.
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/packed-refs");
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{branch}");
        }
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}
