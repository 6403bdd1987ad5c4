//! The `clas` command: the command line is parsed in `cli` and nowhere else.

mod cli;

// Reading forms allocates many small strings on several threads at once, where glibc's
// allocator spent about a seventh of the time (perf on `clas extract` and `clas ingest`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
