fn main() {
    lane_app::start();
}
