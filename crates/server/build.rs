// `sqlx::migrate!` embeds the migrations at compile time; without this, a new migration file
// alone would not rebuild the server, and it would start without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
