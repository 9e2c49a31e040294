fn main() -> std::process::ExitCode {
    kefu::main()
}
