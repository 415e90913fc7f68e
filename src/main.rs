//! The `renstra` binary: all behaviour lives in the library; see [`renstra::cli`].

fn main() -> std::process::ExitCode {
    renstra::cli::main()
}
