// Links promptasm's library (make builds it) and its dependencies.
fn main() {
    let root = std::env::var("PROMPTASM_ROOT").expect("PROMPTASM_ROOT: the promptasm checkout, after make");
    println!("cargo:rustc-link-search=native={root}/build");
    println!("cargo:rustc-link-lib=static=promptasm");
    for lib in ["yaml", "utf8proc", "pcre2-8", "pthread"] {
        println!("cargo:rustc-link-lib={lib}");
    }
    println!("cargo:rerun-if-changed={root}/build/libpromptasm.a");
    println!("cargo:rerun-if-env-changed=PROMPTASM_ROOT");
}
