//! peers-bench: times promptasm (its library, linked in), GitHub's `bpe`
//! crate (its backtracking encoder after the pre-tokenizer of the
//! `bpe-openai` crate, rebuilt here) and tiktoken's Rust core
//! (`CoreBPE::encode_ordinary`) on the same texts, in the same rounds, in
//! one process pinned by the caller to one processor.  Each encode is
//! timed in the thread's CPU time.  promptasm starts every encode with
//! empty memos, as a count of that one file does (its thread's memos are
//! freed between encodes, outside the time; --warm keeps them).  Before
//! timing, the three encodings of each text are compared id by id.
//!
//! Usage: peers-bench [-r ROUNDS] [-m MIN_MS] [--warm] ENCODING NAME=FILE...
use std::ffi::{c_char, c_void, CString};
use std::time::Duration;

use bpe::byte_pair_encoding::BytePairEncoding;
use regex_automata::{meta::Regex, Anchored, Input};

#[repr(C)]
struct PaError {
    status: i32,
    message: [u8; 512],
    file: [u8; 1024],
    line: i64,
    column: i64,
    offset: i64,
}

extern "C" {
    fn pa_tokenizer_load(name: *const c_char, dir: *const c_char, out: *mut *mut c_void, err: *mut PaError) -> i32;
    fn pa_tokenizer_encode(tok: *const c_void, text: *const c_char, len: usize, ids: *mut *mut u32, n: *mut usize, err: *mut PaError) -> i32;
    fn pa_free(p: *mut c_void);
    fn Pa_workspace_release();
}

fn new_error() -> Box<PaError> {
    Box::new(PaError { status: 0, message: [0; 512], file: [0; 1024], line: 0, column: 0, offset: 0 })
}

fn message(e: &PaError) -> String {
    let end = e.message.iter().position(|&c| c == 0).unwrap_or(512);
    String::from_utf8_lossy(&e.message[..end]).into_owned()
}

struct Promptasm(*mut c_void);

impl Promptasm {
    fn load(name: &str, dir: &str) -> Self {
        let (n, d) = (CString::new(name).unwrap(), CString::new(dir).unwrap());
        let mut tok = std::ptr::null_mut();
        let mut err = new_error();
        if unsafe { pa_tokenizer_load(n.as_ptr(), d.as_ptr(), &mut tok, &mut *err) } != 0 {
            panic!("promptasm: {}", message(&err));
        }
        Promptasm(tok)
    }
    fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = std::ptr::null_mut();
        let mut n = 0usize;
        let mut err = new_error();
        if unsafe { pa_tokenizer_encode(self.0, text.as_ptr() as *const c_char, text.len(), &mut ids, &mut n, &mut *err) } != 0 {
            panic!("promptasm: {}", message(&err));
        }
        let v = if n == 0 { Vec::new() } else { unsafe { std::slice::from_raw_parts(ids, n) }.to_vec() };
        unsafe { pa_free(ids as *mut c_void) };
        v
    }
}

/// bpe-openai's pre-tokenizer (github.com/github/rust-gems,
/// crates/bpe-openai/src/lib.rs, MIT): its patterns, and the pattern that
/// stands for tiktoken's `\s+(?!\S)` matching one character more, which
/// the split then gives back.
struct BpeOpenai {
    bpe: BytePairEncoding,
    pat: Regex,
    lookahead: Vec<bool>,
}

impl BpeOpenai {
    fn new(bpe: BytePairEncoding, encoding: &str) -> Self {
        let pat1 = match encoding {
            "cl100k_base" => "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+$".to_string(),
            "o200k_base" => [
                "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
                "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
                "\\p{N}{1,3}",
                " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
                "\\s*[\\r\\n]+",
                "\\s+$",
            ]
            .join("|"),
            _ => panic!("no pattern for {encoding}"),
        };
        let pats = [(pat1.as_str(), false), ("\\s+\\s", true), ("\\s+", false)];
        let (p, lookahead): (Vec<_>, Vec<_>) = pats.iter().copied().unzip();
        BpeOpenai { bpe, pat: Regex::new_many(&p).expect("valid regex"), lookahead }
    }
    fn encode(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut last = 0;
        while last < text.len() {
            let m = match self.pat.find(Input::new(&text[last..]).anchored(Anchored::Yes)) {
                Some(m) => m,
                None => break,
            };
            let start = last;
            let mut end = last + m.range().end;
            if self.lookahead[m.pattern().as_usize()] {
                end -= text[start..end].chars().next_back().unwrap().len_utf8();
            }
            last = end;
            out.extend(self.bpe.encode_via_backtracking(&text.as_bytes()[start..end]));
        }
        out
    }
}

const TIKTOKEN_PATTERNS: [(&str, &str); 2] = [
    ("cl100k_base", r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"),
    ("o200k_base", r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"),
];

fn cpu_now() -> Duration {
    let mut ts = libc_timespec { tv_sec: 0, tv_nsec: 0 };
    unsafe { clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
#[repr(C)]
struct libc_timespec {
    tv_sec: i64,
    tv_nsec: i64,
}
extern "C" {
    fn clock_gettime(clk: i32, ts: *mut libc_timespec) -> i32;
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (mut rounds, mut min_ms, mut warm) = (21usize, 20.0f64, false);
    while !args.is_empty() && args[0].starts_with('-') {
        match args.remove(0).as_str() {
            "-r" => rounds = args.remove(0).parse().expect("-r ROUNDS"),
            "-m" => min_ms = args.remove(0).parse().expect("-m MIN_MS"),
            "--warm" => warm = true,
            o => panic!("unknown option {o}"),
        }
    }
    if args.len() < 2 {
        eprintln!("usage: peers-bench [-r ROUNDS] [-m MIN_MS] [--warm] ENCODING NAME=FILE...");
        std::process::exit(2);
    }
    let encoding = args.remove(0);
    let dir = std::env::var("PROMPTASM_TOKENIZERS").expect("PROMPTASM_TOKENIZERS: the directory of the tables");

    // The ranks, in tiktoken's format, for bpe and tiktoken.
    let ranks_text = std::fs::read_to_string(format!("{dir}/{encoding}.tiktoken")).expect("the .tiktoken file");
    let mut ranks: Vec<(Vec<u8>, u32)> = ranks_text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (b, r) = l.split_once(' ').expect("token rank");
            (base64::decode(b).expect("base64"), r.parse().expect("rank"))
        })
        .collect();
    ranks.sort_by_key(|(_, r)| *r);
    for (i, (_, r)) in ranks.iter().enumerate() {
        assert_eq!(*r as usize, i, "bpe takes ranks without gaps");
    }
    let pa = Promptasm::load(&encoding, &dir);
    let bpe = BpeOpenai::new(
        BytePairEncoding::from_dictionary(ranks.iter().map(|(b, _)| b.clone()), Some(17846336922010275747)),
        &encoding,
    );
    let pattern = TIKTOKEN_PATTERNS.iter().find(|(e, _)| *e == encoding).expect("a pattern").1;
    let tk = tiktoken::CoreBPE::new::<_, _, std::iter::Empty<(String, (u32, u32))>>(ranks, std::iter::empty(), pattern)
        .expect("tiktoken");

    println!("peers-bench {encoding}: {rounds} rounds, each program at least {min_ms} ms of CPU a round, promptasm {}", if warm { "warm (memos kept)" } else { "with empty memos at every encode" });
    for spec in &args {
        let (name, path) = spec.split_once('=').expect("NAME=FILE");
        let text = std::fs::read_to_string(path).expect("a UTF-8 text");
        let ids = pa.encode(&text);
        let (same_bpe, same_tk) = (ids == bpe.encode(&text), ids == tk.encode_ordinary(&text));
        if !same_bpe || !same_tk {
            println!(
                "{name}, {encoding}: IDS DIFFER ({}); not timed",
                if !same_bpe && !same_tk { "bpe's and tiktoken's from promptasm's" } else if !same_bpe { "bpe's from promptasm's and tiktoken's" } else { "tiktoken's from promptasm's and bpe's" }
            );
            continue;
        }

        // enc(i): one encode by program i, its CPU time in ns.
        let enc = |i: usize| -> f64 {
            if i == 0 && !warm {
                unsafe { Pa_workspace_release() };
            }
            let t0 = cpu_now();
            let n = match i {
                0 => pa.encode(&text).len(),
                1 => bpe.encode(&text).len(),
                _ => tk.encode_ordinary(&text).len(),
            };
            let t = (cpu_now() - t0).as_nanos() as f64;
            assert_eq!(n, ids.len());
            t
        };
        // As many encodes a round as make the slowest one's min_ms.
        let slowest = (0..3).map(enc).fold(0.0, f64::max);
        let reps = ((min_ms * 1e6 / slowest).ceil() as usize).max(1);
        let mut per: [Vec<f64>; 3] = [vec![], vec![], vec![]];
        for r in 0..rounds {
            for j in 0..3 {
                let i = (r + j) % 3;
                let total: f64 = (0..reps).map(|_| enc(i)).sum();
                per[i].push(total / reps as f64);
            }
        }
        let summary = |i: usize| -> String {
            let mut ratios: Vec<f64> = (0..rounds).map(|r| per[i][r] / per[0][r]).collect();
            let won = ratios.iter().filter(|&&x| x > 1.0).count();
            let (lo, hi) = (ratios.iter().cloned().fold(f64::MAX, f64::min), ratios.iter().cloned().fold(0.0, f64::max));
            format!("{:.2}x (least {:.2}x, most {:.2}x), promptasm faster in {} of {} rounds", median(&mut ratios), lo, hi, won, rounds)
        };
        let us = |i: usize| median(&mut per[i].clone()) / 1e3;
        println!(
            "{name}, {encoding}: {} bytes, {} tokens, ids equal; CPU per encode (medians) promptasm {:.0} us, bpe {:.0} us, tiktoken {:.0} us; {} encodes a round",
            text.len(), ids.len(), us(0), us(1), us(2), reps
        );
        println!("{name}, {encoding}: bpe / promptasm {}", summary(1));
        println!("{name}, {encoding}: tiktoken / promptasm {}", summary(2));
    }
}
