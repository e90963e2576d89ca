fn main() {
    pollhook::start();
}
