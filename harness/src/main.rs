fn main() {
    std::process::exit(cognito_drift::exit::OK);
}
