//! The `clas` command: the command line is parsed here and nowhere else.

mod args;

fn main() {
    std::process::exit(args::run());
}
